/**
 * The emulator's answer formats (src/emulator/formats.ts): the token endpoint, the identity URL and
 * userinfo in JSON, XML and form-urlencoded, by `format` or Accept (the parameter wins), the same fields
 * in the same order, errors too; the identity URL's `version` and its refusals; the discovery document.
 */
import { XMLParser } from 'fast-xml-parser'
import { expect, test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { exchangeCode } from '../../src/client/operations.js'
import { parseCallback } from '../../src/oauth/callback.js'
import { withOperations } from '../support/steps.js'

const xml = new XMLParser({ parseTagValue: false })

async function codeForm(em: RunningEmulator, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const code = codeFrom(await authorizeOverHttp(em))
  return { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: em.app.seed.app.clientId, client_secret: em.app.seed.app.clientSecret, ...extra }
}

const KEYS = ['access_token', 'refresh_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']

test('token: format=xml answers <OAuth> with the JSON answer\'s fields in its order', async ({ emulator }) => {
  const r = await postToken(emulator, await codeForm(emulator, { format: 'xml' }))
  expect(r.status).toBe(200)
  expect(r.headers.get('content-type')).toBe('application/xml;charset=UTF-8')
  expect(r.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><OAuth><access_token>')).toBe(true)
  const doc = xml.parse(r.text) as { OAuth: Record<string, string> }
  expect(Object.keys(doc.OAuth)).toEqual(KEYS)
  expect(doc.OAuth.token_type).toBe('Bearer')
})

test('token: format=urlencoded answers a form with the same fields; Accept alone chooses too', async ({ emulator }) => {
  const r = await postToken(emulator, await codeForm(emulator, { format: 'urlencoded' }))
  expect(r.headers.get('content-type')).toBe('application/x-www-form-urlencoded;charset=UTF-8')
  expect([...new URLSearchParams(r.text).keys()]).toEqual(KEYS)
  const byAccept = await postToken(emulator, await codeForm(emulator), { accept: 'application/xml' })
  expect(byAccept.headers.get('content-type')).toBe('application/xml;charset=UTF-8')
})

test('token: the format parameter wins over Accept; */* and unknown types give JSON', async ({ emulator }) => {
  const r = await postToken(emulator, await codeForm(emulator, { format: 'json' }), { accept: 'application/xml' })
  expect(r.headers.get('content-type')).toBe('application/json;charset=UTF-8')
  expect(Object.keys(r.body)).toEqual(KEYS)
  for (const accept of ['*/*', 'text/html', 'text/html,application/x-www-form-urlencoded']) {
    const a = await postToken(emulator, await codeForm(emulator), { accept })
    expect(a.headers.get('content-type'), accept).toBe(accept.endsWith('urlencoded') ? 'application/x-www-form-urlencoded;charset=UTF-8' : 'application/json;charset=UTF-8')
  }
})

test('token: errors come in the asked format too', async ({ emulator }) => {
  const x = await postToken(emulator, { grant_type: 'authorization_code', code: 'aPrxnope==', redirect_uri: REDIRECT, client_id: emulator.app.seed.app.clientId, client_secret: emulator.app.seed.app.clientSecret, format: 'xml' })
  expect(x.status).toBe(400)
  expect(x.text).toBe('<?xml version="1.0" encoding="UTF-8"?><OAuth><error>invalid_grant</error><error_description>expired authorization code</error_description></OAuth>')
  const u = await postToken(emulator, { grant_type: 'nope', format: 'urlencoded' })
  expect(u.text).toBe('error=unsupported_grant_type&error_description=grant%20type%20not%20supported')
})

async function tokens(em: RunningEmulator): Promise<Record<string, string>> {
  return (await postToken(em, await codeForm(em))).body
}

test('identity URL: format=xml under <user>, Accept urlencoded, the parameter over the header', async ({ emulator }) => {
  const t = await tokens(emulator)
  const auth = { authorization: `Bearer ${t.access_token ?? ''}` }
  const x = await fetch(`${t.id ?? ''}?format=xml`, { headers: { ...auth, accept: 'application/json' } })
  expect(x.headers.get('content-type')).toBe('application/xml;charset=UTF-8')
  const doc = xml.parse(await x.text()) as { user: Record<string, unknown> }
  expect(doc.user.username).toBe('demo.user@example.com')
  expect((doc.user.urls as Record<string, string>).rest).toContain('/services/data/v{version}/')
  const f = await fetch(t.id ?? '', { headers: { ...auth, accept: 'application/x-www-form-urlencoded' } })
  expect(new URLSearchParams(await f.text()).get('username')).toBe('demo.user@example.com')
})

test('identity URL: version=latest and a number fill {version}; a bad version is 406 Invalid_Version', async ({ emulator }) => {
  const t = await tokens(emulator)
  const get = (q: string) => fetch(`${t.id ?? ''}${q}`, { headers: { authorization: `Bearer ${t.access_token ?? ''}` } })
  const latest = (await (await get('?version=latest')).json()) as { urls: Record<string, string> }
  expect(latest.urls.rest).toBe(`${emulator.url}/services/data/v64.0/`)
  expect(latest.urls.partner).toMatch(/\/services\/Soap\/u\/64\.0\//)
  expect(((await (await get('?version=58.0')).json()) as { urls: Record<string, string> }).urls.query).toBe(`${emulator.url}/services/data/v58.0/query/`)
  const bad = await get('?version=v58')
  expect(bad.status).toBe(406)
  expect(await bad.text()).toBe('Invalid_Version')
})

test('identity URL: the token as oauth_token; another org is Wrong_Org, another user Bad_Id', async ({ emulator }) => {
  const t = await tokens(emulator)
  const id = t.id ?? ''
  const q = `?oauth_token=${encodeURIComponent(t.access_token ?? '')}`
  expect((await fetch(`${id}${q}&format=xml`)).headers.get('content-type')).toBe('application/xml;charset=UTF-8')
  const otherOrg = await fetch(`${id.replace(/\/00D\w+\//, '/00D000000000001AAA/')}${q}`)
  expect([otherOrg.status, await otherOrg.text()]).toEqual([403, 'Wrong_Org'])
  const otherUser = await fetch(`${id.replace(/\/005\w+$/, '/005000000000001AAA')}${q}`)
  expect([otherUser.status, await otherUser.text()]).toEqual([403, 'Bad_Id'])
})

test('userinfo: format=xml and Accept as the identity URL, Salesforce\'s claim names', async ({ emulator }) => {
  const t = await tokens(emulator)
  const x = await fetch(`${emulator.url}/services/oauth2/userinfo?format=xml`, { headers: { authorization: `Bearer ${t.access_token ?? ''}` } })
  const doc = xml.parse(await x.text()) as { user: Record<string, string> }
  expect(doc.user.sub).toBe(t.id)
  expect(Object.keys(doc.user).slice(0, 4)).toEqual(['sub', 'user_id', 'organization_id', 'preferred_username'])
})

test('discovery: every field of login.salesforce.com\'s document, in its order, registration endpoint included', async ({ emulator }) => {
  const d = (await (await fetch(`${emulator.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>
  expect(Object.keys(d)).toEqual(['issuer', 'authorization_endpoint', 'token_endpoint', 'revocation_endpoint', 'userinfo_endpoint', 'jwks_uri', 'register_endpoint', 'introspection_endpoint', 'scopes_supported', 'response_types_supported', 'subject_types_supported', 'id_token_signing_alg_values_supported', 'display_values_supported', 'token_endpoint_auth_methods_supported', 'claims_supported'])
  expect(d.register_endpoint).toBe(`${emulator.url}/services/oauth2/register`)
  expect(d.id_token_signing_alg_values_supported).toEqual(['RS256'])
  expect(d.response_types_supported).toEqual(['code', 'token', 'token id_token'])
})

test('SF_TOKEN_FORMAT against the emulator: the harness asks for xml and urlencoded and checks them as JSON', async ({ emulator }) => {
  for (const tokenFormat of ['xml', 'urlencoded'] as const) {
    const location = await authorizeOverHttp(emulator, { state: 'sx' })
    const client = { loginUrl: emulator.url, clientId: emulator.app.seed.app.clientId, clientSecret: emulator.app.seed.app.clientSecret, tokenFormat }
    const r = await withOperations((ctx) => exchangeCode(ctx, client, parseCallback(location, { redirectUri: REDIRECT, state: 'sx' }), { verifier: undefined, expectRefreshToken: true }))
    expect(r.checks.find((c) => c.name === 'signature')?.status, tokenFormat).toBe('pass')
    expect(r.tokens.refreshToken, tokenFormat).toMatch(/^5Aep861/)
  }
})
