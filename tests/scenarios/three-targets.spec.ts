/** The shared scenarios (tests/support/scenarios.ts) on the `emulator` target: real browser, embedded emulator. */
import { realTarget } from '../support/real-target.js'
import { scenariosFor } from '../support/scenarios.js'
import { test } from '../support/test.js'

for (const s of scenariosFor('emulator')) {
  test(`[three targets] ${s.title}`, async ({ flow, emulator }) => {
    const sf = realTarget('emulator', flow.page, flow.target, (on) => {
      emulator.app.configure({ rotation: on })
      return Promise.resolve(undefined)
    })
    await s.run(sf, (reason) => test.skip(true, reason))
  })
}
