import { createHmac } from 'node:crypto'
import { createVerifier } from '../../src/oauth/pkce.js'
import { expect, test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'
import type { RunningEmulator } from '../../src/emulator/index.js'

function creds(em: RunningEmulator) {
  return { client_id: em.app.seed.app.clientId, client_secret: em.app.seed.app.clientSecret }
}

async function exchange(em: RunningEmulator, code: string, extra: Record<string, string> = {}) {
  return postToken(em, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, ...creds(em), ...extra })
}

test('success: Salesforce\'s exact fields in order, all strings, ms issued_at, HMAC signature, headers', async ({ emulator }) => {
  const r = await exchange(emulator, codeFrom(await authorizeOverHttp(emulator)))
  expect(r.status).toBe(200)
  expect(Object.keys(r.body)).toEqual(['access_token', 'refresh_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at'])
  expect(Object.values(r.body).every((v) => typeof v === 'string')).toBe(true)
  expect(r.body.issued_at).toMatch(/^\d{13}$/)
  expect(r.body.token_type).toBe('Bearer')
  expect(r.body.instance_url).toBe(emulator.url)
  expect(r.body.id).toBe(`${emulator.url}/id/${emulator.app.seed.user.orgId}/${emulator.app.seed.user.userId}`)
  expect(r.body.id).toMatch(/\/id\/00D[A-Za-z0-9]{15}\/005[A-Za-z0-9]{15}$/)
  expect(r.body.signature).toBe(createHmac('sha256', emulator.app.seed.app.clientSecret).update((r.body.id ?? '') + (r.body.issued_at ?? '')).digest('base64'))
  expect(r.body.access_token).toMatch(/^00D[A-Za-z0-9]{12}!/)
  expect(r.body.refresh_token).toMatch(/^5Aep861[A-Za-z0-9._]{80}$/)
  expect(r.body.scope).toBe('api refresh_token')
  expect(r.body).not.toHaveProperty('expires_in')
  expect(r.headers.get('content-type')).toBe('application/json;charset=UTF-8')
  expect(r.headers.get('cache-control')).toContain('no-store')
  expect(r.headers.get('pragma')).toBe('no-cache')
})

test('issued_at follows the emulator clock', async ({ emulator }) => {
  emulator.app.clock.set(1_700_000_000_000)
  const r = await exchange(emulator, codeFrom(await authorizeOverHttp(emulator)))
  expect(Number(r.body.issued_at) - 1_700_000_000_000).toBeLessThan(5_000)
})

test('client credentials are accepted as HTTP Basic too', async ({ emulator }) => {
  const code = codeFrom(await authorizeOverHttp(emulator))
  const basic = Buffer.from(`${emulator.app.seed.app.clientId}:${emulator.app.seed.app.clientSecret}`).toString('base64')
  const r = await postToken(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { authorization: `Basic ${basic}` })
  expect(r.status).toBe(200)
})

test('a code is single use: the second exchange is expired authorization code', async ({ emulator }) => {
  const code = codeFrom(await authorizeOverHttp(emulator))
  expect((await exchange(emulator, code)).status).toBe(200)
  const again = await exchange(emulator, code)
  expect(again.status).toBe(400)
  expect(again.body).toEqual({ error: 'invalid_grant', error_description: 'expired authorization code' })
})

test('a code expires after 15 minutes on the emulator clock', async ({ emulator }) => {
  const code = codeFrom(await authorizeOverHttp(emulator))
  emulator.app.clock.advance(15 * 60 * 1000 + 1)
  expect((await exchange(emulator, code)).body).toEqual({ error: 'invalid_grant', error_description: 'expired authorization code' })
})

test('a code just under 15 minutes old still works', async ({ emulator }) => {
  const code = codeFrom(await authorizeOverHttp(emulator))
  emulator.app.clock.advance(15 * 60 * 1000 - 1000)
  expect((await exchange(emulator, code)).status).toBe(200)
})

test('the token error table', async ({ emulator }) => {
  const c = creds(emulator)
  const code = () => authorizeOverHttp(emulator).then(codeFrom)
  const cases: [Record<string, string>, string, string][] = [
    [{ grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT, client_id: 'unknown', client_secret: 'x' }, 'invalid_client_id', 'client identifier invalid'],
    [{ grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT, client_id: c.client_id, client_secret: 'wrong' }, 'invalid_client', 'invalid client credentials'],
    [{ grant_type: 'authorization_code', code: await code(), redirect_uri: REDIRECT, client_id: c.client_id }, 'invalid_client', 'invalid client credentials'],
    [{ grant_type: 'password', ...c }, 'unsupported_grant_type', 'grant type not supported'],
    [{ grant_type: 'authorization_code', code: 'aPrxnotacode==', redirect_uri: REDIRECT, ...c }, 'invalid_grant', 'expired authorization code'],
    [{ grant_type: 'authorization_code', code: await code(), redirect_uri: 'http://localhost', ...c }, 'redirect_uri_mismatch', 'redirect_uri must match configuration'],
    [{ grant_type: 'refresh_token', refresh_token: '5Aep861nope', ...c }, 'invalid_grant', 'expired access/refresh token'],
  ]
  for (const [form, error, description] of cases) {
    const r = await postToken(emulator, form)
    expect(r.status, error).toBe(400)
    expect(r.body, JSON.stringify(form.grant_type)).toEqual({ error, error_description: description })
  }
})

test('a JSON body (wrong Content-Type) is unsupported_grant_type, as when Salesforce loses the body', async ({ emulator }) => {
  const res = await emulator.request(`${emulator.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code' }) })
  expect(res.status).toBe(400)
  expect(await res.json()).toEqual({ error: 'unsupported_grant_type', error_description: 'grant type not supported' })
})

test('PKCE, Salesforce dialect: a missing method means S256; plain works; 171 characters accepted', async ({ emulator }) => {
  const v = createVerifier()
  expect((await exchange(emulator, codeFrom(await authorizeOverHttp(emulator, { verifier: v, method: null })), { code_verifier: v })).status).toBe(200)
  const p = createVerifier()
  expect((await exchange(emulator, codeFrom(await authorizeOverHttp(emulator, { verifier: p, method: 'plain' })), { code_verifier: p })).status).toBe(200)
  const long = createVerifier(128)
  expect(long).toHaveLength(171)
  expect((await exchange(emulator, codeFrom(await authorizeOverHttp(emulator, { verifier: long })), { code_verifier: long })).status).toBe(200)
})

test('PKCE: a wrong, missing or ~ verifier is invalid code verifier (observed, not the documented invalid_request)', async ({ emulator }) => {
  const bad = { error: 'invalid_grant', error_description: 'invalid code verifier' }
  const v = createVerifier()
  expect((await exchange(emulator, codeFrom(await authorizeOverHttp(emulator, { verifier: v })), { code_verifier: createVerifier() })).body).toEqual(bad)
  expect((await exchange(emulator, codeFrom(await authorizeOverHttp(emulator, { verifier: v })))).body).toEqual(bad)
  const tilde = `${'a'.repeat(50)}~`
  expect((await exchange(emulator, codeFrom(await authorizeOverHttp(emulator, { verifier: tilde })), { code_verifier: tilde })).body).toEqual(bad)
})

test('a code issued to another app is authentication failure', async ({ emulator }) => {
  const other = { ...emulator.app.seed.app, clientId: '3MVG9OTHERAPPFAKE', clientSecret: 'other-secret-fake' }
  emulator.app.state.addApp(other)
  const code = codeFrom(await authorizeOverHttp(emulator))
  const r = await postToken(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: other.clientId, client_secret: other.clientSecret })
  expect(r.body).toEqual({ error: 'invalid_grant', error_description: 'authentication failure' })
})

test('refresh: same shape without refresh_token; with rotation a new one and the old one dies', async ({ emulator }) => {
  const first = await exchange(emulator, codeFrom(await authorizeOverHttp(emulator)))
  const rt = first.body.refresh_token ?? ''
  const r = await postToken(emulator, { grant_type: 'refresh_token', refresh_token: rt, ...creds(emulator) })
  expect(r.status).toBe(200)
  expect(Object.keys(r.body)).toEqual(['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at'])
  emulator.app.state.addApp({ ...emulator.app.seed.app, refreshTokenRotation: true })
  const rotated = await postToken(emulator, { grant_type: 'refresh_token', refresh_token: rt, ...creds(emulator) })
  expect(rotated.body.refresh_token).toMatch(/^5Aep861/)
  expect(rotated.body.refresh_token).not.toBe(rt)
  const reused = await postToken(emulator, { grant_type: 'refresh_token', refresh_token: rt, ...creds(emulator) })
  expect(reused.body).toEqual({ error: 'invalid_grant', error_description: 'expired access/refresh token' })
})

test('openid scope adds an RS256 id_token between scope and instance_url', async ({ emulator }) => {
  const r = await exchange(emulator, codeFrom(await authorizeOverHttp(emulator, { scope: 'api refresh_token openid' })))
  expect(Object.keys(r.body)).toEqual(['access_token', 'refresh_token', 'signature', 'scope', 'id_token', 'instance_url', 'id', 'token_type', 'issued_at'])
  const [header] = (r.body.id_token ?? '').split('.')
  expect(JSON.parse(Buffer.from(header ?? '', 'base64url').toString())).toMatchObject({ alg: 'RS256', typ: 'JWT' })
})
