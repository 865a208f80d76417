/** Every error body of the reference and every fault, one test each, asserted on the harness's error code. */
import { FAKE_LOGIN_URL, FAKE_ORG_ID, fakeAccessToken, fakeRefreshToken, fakeUserId } from '../../src/record/fakes.js'
import { codeOf } from '../support/test.js'
import { answer, expect, fixtureNames, loadFixture, SHORT_TIMEOUT_MS, test } from '../support/offline.js'
import { exchangeCode, identity, introspect, refresh, revoke, userinfo } from './calls.js'

/** The harness call that meets each fixture's endpoint. */
function callFor(name: string): Promise<unknown> {
  if (name.startsWith('token/refresh_token/')) return refresh(fakeRefreshToken(1))
  if (name === 'faults/timeout') return exchangeCode({ timeoutMs: SHORT_TIMEOUT_MS })
  if (name.startsWith('token/') || name.startsWith('faults/')) return exchangeCode()
  if (name.startsWith('revoke/')) return revoke(fakeRefreshToken(1))
  if (name.startsWith('introspect/')) return introspect(fakeAccessToken(1))
  if (name.startsWith('userinfo/')) return userinfo(fakeAccessToken(1))
  if (name.startsWith('identity/')) return identity(`${FAKE_LOGIN_URL}/id/${FAKE_ORG_ID}/${fakeUserId(0)}`, fakeAccessToken(1))
  throw new Error(`no harness call for ${name}`)
}

// The identity URL is called by the identity operation (src/client/operations.ts), like the others.
const failing = fixtureNames().filter((n) => loadFixture(n).expect !== 'ok')

test('there is an error fixture for every failure the reference lists', () => {
  expect(failing.length).toBeGreaterThanOrEqual(30)
})

for (const name of failing) {
  const f = loadFixture(name)
  test(`${name}: ${f.expect}`, async () => {
    answer(name)
    expect(await codeOf(callFor(name))).toBe(f.expect)
  })
}
