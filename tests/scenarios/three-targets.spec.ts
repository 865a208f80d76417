/**
 * The shared scenarios (tests/support/scenarios.ts) on the `emulator` target: the embedded emulator, its
 * pages walked over HTTP (the scenarios are about the code and the token endpoint; the live target walks
 * an org's pages in the browser).
 */
import { realTarget } from '../support/real-target.js'
import { scenariosFor } from '../support/scenarios.js'
import { authorizeOverHttpOnly } from '../support/steps.js'
import { test } from '../support/test.js'

for (const s of scenariosFor('emulator')) {
  test(`[three targets] ${s.title}`, async ({ httpFlow, emulator }) => {
    const sf = realTarget('emulator', (target) => authorizeOverHttpOnly(emulator, target), httpFlow.target, (on) => {
      emulator.app.configure({ rotation: on })
      return Promise.resolve(undefined)
    })
    await s.run(sf, (reason) => test.skip(true, reason))
  })
}
