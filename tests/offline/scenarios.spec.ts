/** The shared scenarios (tests/support/scenarios.ts) on the `offline` target: no browser, fixtures through nock. */
import { fakeCode, fakeVerifier } from '../../src/record/fakes.js'
import { answer, test } from '../support/offline.js'
import { scenariosFor, type ScenarioTarget } from '../support/scenarios.js'
import { callback, exchangeCode, refresh, revoke } from './calls.js'

function offlineTarget(): ScenarioTarget {
  let rotation = false
  return {
    name: 'offline',
    authorize: () => Promise.resolve({ callback: callback(fakeCode(1)), verifier: fakeVerifier(1) }),
    async exchange(a, fixture = 'token/authorization_code/200-success') {
      answer(fixture, { code: a.callback.code, code_verifier: a.verifier })
      return exchangeCode({ code: a.callback.code, verifier: a.verifier })
    },
    async refresh(rt, fixture = rotation ? 'token/refresh_token/200-rotation' : 'token/refresh_token/200-success') {
      answer(fixture, { refresh_token: rt })
      return refresh(rt)
    },
    async revoke(token, fixture = 'revoke/200-revoked') {
      answer(fixture, { token })
      return revoke(token)
    },
    rotation(on) {
      rotation = on
      return Promise.resolve(undefined)
    },
  }
}

for (const s of scenariosFor('offline')) {
  test(`[three targets] ${s.title}`, async () => {
    await s.run(offlineTarget(), (reason) => test.skip(true, reason))
  })
}
