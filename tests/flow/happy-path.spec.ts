/**
 * The flow in a real browser where the pages are under test (login, consent, the plain-text answers, the
 * callback caught); protocol-only variants (PKCE off, scope, client secret) run the same code flow over HTTP.
 */
import { computeSignature } from '../../src/oauth/signature.js'
import { codeOf, expect, test } from '../support/test.js'

test('the whole flow in a real browser: login, Allow, code, token, every check', async ({ flow, emulator }) => {
  const result = await flow.run()
  const { tokens } = result
  expect(tokens.refreshToken).toMatch(/^5Aep861/)
  expect(tokens.accessToken).toMatch(/^00D[A-Za-z0-9]{12}!/)
  expect(tokens.instanceUrl).toBe(emulator.url)
  expect(tokens.id).toBe(`${emulator.url}/id/${tokens.orgId}/${tokens.userId}`)
  expect(tokens.signature).toBe(computeSignature(flow.target.clientSecret ?? '', tokens.id, tokens.issuedAt))
  expect(result.steps.map((s) => s.name)).toEqual(['build authorize URL', 'open authorize URL', 'login', 'consent', 'callback', 'parse callback', 'token request', 'validate token response'])
  expect(result.checks.filter((c) => c.status !== 'pass')).toEqual([])
  expect(result.checks.map((c) => c.name)).toEqual(expect.arrayContaining(['state', 'code', 'signature', 'issued_at', 'instance_url', 'id', 'refresh_token']))
})

test('PKCE off: the flow still succeeds and no challenge is sent', async ({ httpFlow: flow }) => {
  const seen: string[] = []
  const result = await flow.run({ pkce: false }, { onEvent: (e) => { if (e.type === 'step') seen.push(e.step.detail ?? '') } })
  expect(result.tokens.refreshToken).toBeDefined()
  expect(seen[0]).toBe('state, PKCE off')
})

test('two-step (identifier-first) login page', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ loginMode: 'two-step' })
  const result = await flow.run()
  expect(result.tokens.refreshToken).toBeDefined()
  expect(result.steps.filter((s) => s.name === 'login')).toHaveLength(1)
})

test('a wrong password ends in LOGIN_FAILED on the login page', { tag: '@browser' }, async ({ flow }) => {
  expect(await codeOf(flow.run({ password: 'wrong-password-123' }))).toBe('LOGIN_FAILED')
})

test('scope without refresh_token: no refresh token is checked, not demanded', async ({ httpFlow: flow }) => {
  const result = await flow.run({ scope: 'api' })
  expect(result.tokens.refreshToken).toBeUndefined()
  expect(result.checks.find((c) => c.name === 'refresh_token')?.status).toBe('skip')
})

test('Deny on "Allow Access?" is AUTHORIZE_ACCESS_DENIED', { tag: '@browser' }, async ({ flow }) => {
  expect(await codeOf(flow.run({}, { decision: 'deny' }))).toBe('AUTHORIZE_ACCESS_DENIED')
})

test('an unknown client id is the plain-text answer, named', { tag: '@browser' }, async ({ flow }) => {
  expect(await codeOf(flow.run({ clientId: '3MVG9unknownUnknownUnknown' }))).toBe('AUTHORIZE_INVALID_CLIENT_ID')
})

test('an unregistered redirect URI is the plain-text answer, named', { tag: '@browser' }, async ({ flow }) => {
  expect(await codeOf(flow.run({ redirectUri: 'http://localhost:9999/elsewhere' }))).toBe('AUTHORIZE_REDIRECT_URI_MISMATCH')
})

test('a wrong client secret is refused at the token endpoint', async ({ httpFlow: flow }) => {
  expect(await codeOf(flow.run({ clientSecret: 'not-the-secret' }))).toBe('TOKEN_INVALID_CLIENT_CREDENTIALS')
})

test('the second redirect URI of the app (http://localhost) works too', { tag: '@browser' }, async ({ flow }) => {
  const result = await flow.run({ redirectUri: 'http://localhost' })
  expect(result.tokens.accessToken).toBeTruthy()
})
