import { expect, test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'
import type { RunningEmulator } from '../../src/emulator/index.js'

async function tokens(em: RunningEmulator): Promise<Record<string, string>> {
  const code = codeFrom(await authorizeOverHttp(em))
  return (await postToken(em, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: em.app.seed.app.clientId, client_secret: em.app.seed.app.clientSecret })).body
}

test('userinfo: JSON for a good token, 403 Bad_OAuth_Token / Missing_OAuth_Token otherwise', async ({ emulator }) => {
  const t = await tokens(emulator)
  const ok = await emulator.request(`${emulator.url}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${t.access_token ?? ''}` } })
  expect(ok.status).toBe(200)
  expect(await ok.json()).toMatchObject({ preferred_username: 'demo.user@example.com', user_id: emulator.app.seed.user.userId, organization_id: emulator.app.seed.user.orgId })
  const bad = await emulator.request(`${emulator.url}/services/oauth2/userinfo`, { headers: { authorization: 'Bearer 00Dnope!x' } })
  expect(bad.status).toBe(403)
  expect(bad.headers.get('content-type')).toContain('text/plain')
  expect(await bad.text()).toBe('Bad_OAuth_Token')
  const missing = await emulator.request(`${emulator.url}/services/oauth2/userinfo`)
  expect(await missing.text()).toBe('Missing_OAuth_Token')
})

test('identity URL answers for its own user with Bearer or ?oauth_token=', async ({ emulator }) => {
  const t = await tokens(emulator)
  const r = await emulator.request(`${t.id ?? ''}?oauth_token=${encodeURIComponent(t.access_token ?? '')}`)
  expect(r.status).toBe(200)
  expect(await r.json()).toMatchObject({ id: t.id, username: 'demo.user@example.com', active: true })
})

test('revoke: 200 for a token, 400 invalid_token after; revoking the refresh token kills its access tokens', async ({ emulator }) => {
  const t = await tokens(emulator)
  const rev = (token: string) => emulator.request(`${emulator.url}/services/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) })
  expect((await rev(t.refresh_token ?? '')).status).toBe(200)
  const again = await rev(t.refresh_token ?? '')
  expect(again.status).toBe(400)
  expect(await again.json()).toEqual({ error: 'invalid_token', error_description: 'Token was invalid' })
  const ui = await emulator.request(`${emulator.url}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${t.access_token ?? ''}` } })
  expect(ui.status).toBe(403)
  const t2 = await tokens(emulator)
  expect((await emulator.request(`${emulator.url}/services/oauth2/revoke?token=${encodeURIComponent(t2.access_token ?? '')}`)).status).toBe(200)
})

test('introspect: active and inactive shapes', async ({ emulator }) => {
  const t = await tokens(emulator)
  const intro = async (token: string) => (await emulator.request(`${emulator.url}/services/oauth2/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, client_id: emulator.app.seed.app.clientId, client_secret: emulator.app.seed.app.clientSecret }) })).json() as Promise<Record<string, unknown>>
  expect(await intro(t.access_token ?? '')).toMatchObject({ active: true, token_type: 'access_token', client_id: emulator.app.seed.app.clientId, username: 'demo.user@example.com', sub: t.id })
  expect(await intro(t.refresh_token ?? '')).toMatchObject({ active: true, token_type: 'refresh_token' })
  expect(await intro('nope')).toEqual({ active: false })
})

test('discovery document and JWKS use the emulator\'s own URL', async ({ emulator }) => {
  const d = (await (await emulator.request(`${emulator.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>
  expect(d.issuer).toBe(emulator.url)
  expect(d.token_endpoint).toBe(`${emulator.url}/services/oauth2/token`)
  expect(d.token_endpoint_auth_methods_supported).toEqual(['client_secret_post', 'client_secret_basic', 'private_key_jwt'])
  const jwks = (await (await emulator.request(`${emulator.url}/id/keys`)).json()) as { keys: { kty: string; alg: string }[] }
  expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256' })
})

test('control endpoint: configure, clock, state counts, reset', async ({ emulator }) => {
  const post = (path: string, body: unknown) => emulator.request(`${emulator.url}/__emulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect((await post('configure', { loginMode: 'two-step' })).status).toBe(200)
  expect(emulator.app.behaviour().loginMode).toBe('two-step')
  expect((await post('configure', { nonsense: 1 })).status).toBe(400)
  const before = emulator.app.clock.now()
  await post('clock', { advanceMs: 60_000 })
  expect(emulator.app.clock.now() - before).toBeGreaterThanOrEqual(60_000)
  await tokens(emulator)
  const state = (await (await emulator.request(`${emulator.url}/__emulator/state`)).json()) as { counts: Record<string, number> }
  expect(state.counts.refreshTokens).toBe(1)
  expect(JSON.stringify(state)).not.toContain('5Aep')
  await post('reset', {})
  expect(emulator.app.behaviour().loginMode).toBe('one-step')
  expect(emulator.app.state.refreshTokens.size).toBe(0)
})

test('unknown paths are a 404 page', async ({ emulator }) => {
  expect((await emulator.request(`${emulator.url}/nope`)).status).toBe(404)
})
