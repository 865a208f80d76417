/**
 * The real code flow with SF_SCOPE "api refresh_token openid": it sends a nonce and checks the id_token
 * fully; a misbehaving emulator fails it with the rule's own code. Over HTTP (httpFlow): nothing of
 * OpenID Connect happens in the pages, and the browser walk is tested in tests/flow/happy-path.spec.ts.
 */
import { codeOf, expect, test } from '../support/test.js'

const OPENID = 'api refresh_token openid'

test('with openid the flow sends a nonce and checks the id_token, /id/keys and userinfo', async ({ httpFlow: flow, emulator }) => {
  const result = await flow.run({ scope: OPENID })
  const names = result.checks.filter((c) => c.status === 'pass').map((c) => c.name)
  expect(names).toEqual(expect.arrayContaining(['id_token signature', 'id_token iss', 'id_token aud', 'id_token exp/iat', 'id_token nonce', 'id_token at_hash', 'id_token sub', 'userinfo sub']))
  expect(result.steps.map((s) => s.name)).toContain('verify id_token')
  expect(emulator.app.state.hits.get('/id/keys')).toBe(1)
})

// Every other id_token fault has its own code in tests/emulator/openid.spec.ts.
test('the flow fails a forged id_token as ID_TOKEN_SIGNATURE_INVALID', async ({ httpFlow: flow, emulator }) => {
  emulator.app.configure({ idToken: 'forged-signature' })
  expect(await codeOf(flow.run({ scope: OPENID }))).toBe('ID_TOKEN_SIGNATURE_INVALID')
})

test('without openid nothing of OpenID Connect is asked: no /id/keys, no userinfo', async ({ httpFlow: flow, emulator }) => {
  await flow.run()
  expect(emulator.app.state.hits.get('/id/keys')).toBeUndefined()
  expect(emulator.app.state.hits.get('/services/oauth2/userinfo')).toBeUndefined()
})
