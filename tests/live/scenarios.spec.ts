/**
 * The `live` target: the whole flow, then the shared scenarios (tests/support/scenarios.ts), against the
 * org the configuration names. Without one, every test here skips, naming the missing variables.
 */
import { runWebServerFlow } from '../../src/flow/web-server-flow.js'
import { liveMissing, liveRotation, liveSkipReason, liveTarget } from '../support/live.js'
import { realTarget } from '../support/real-target.js'
import { scenariosFor } from '../support/scenarios.js'
import { expect, test } from '../support/test.js'

test.skip(liveMissing().length > 0, liveSkipReason())

test('the whole web server flow against the named org: every check passes', async ({ page }) => {
  const { target, timeoutMs, verification, browserStateFile } = liveTarget()
  // A real org may ask to verify the identity: SF_TOTP_SECRET / SF_VERIFICATION_CODE_COMMAND / SF_BROWSER_STATE as for sf-oauth flow.
  const result = await runWebServerFlow({ target, timeoutMs, page, verification, browserStateFile })
  expect(result.checks.filter((c) => c.status === 'pass').map((c) => c.name)).toEqual(expect.arrayContaining(['state', 'access_token', 'id', 'instance_url', 'token_type', 'issued_at', 'scope']))
  expect(result.tokens.accessToken).toMatch(/^00D/)
})

for (const s of scenariosFor('live')) {
  test(`[three targets] ${s.title}`, async ({ page }) => {
    const { target } = liveTarget()
    const rotation = liveRotation(target.loginUrl)
    try {
      await s.run(realTarget('live', page, target, rotation.set), (reason) => test.skip(true, reason))
    } finally {
      await rotation.restore()
    }
  })
}
