/**
 * The console page at /__emulator/ is protected like the control API it drives (docs/security.md): refused
 * cross-site and by DNS name, never framed, one script allowed by hash; it shows tokens masked only.
 */
import { request } from 'node:http'
import { expect } from '@playwright/test'
import { test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

test('the console is served same-origin only, unframeable, with a hashed script and masked tokens', async ({ emulator }) => {
  const code = codeFrom(await authorizeOverHttp(emulator))
  const { app } = emulator.app.seed
  const tokens = await postToken(emulator, { grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: REDIRECT })
  expect(tokens.status).toBe(200)
  const page = await get(`${emulator.url}/__emulator/`, { 'sec-fetch-site': 'none' })
  expect(page.status).toBe(200)
  expect(page.headers['x-frame-options']).toBe('DENY')
  expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/)
  expect(page.headers['content-security-policy']).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'/)
  expect(String(page.headers['content-security-policy']).split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe')
  for (const t of [tokens.body.refresh_token, tokens.body.access_token, code, app.clientSecret]) expect(page.body).not.toContain(t)
  expect(page.body).toContain(`${(tokens.body.refresh_token ?? '').slice(0, 4)}…(${tokens.body.refresh_token?.length ?? 0} chars)`)
  expect(page.body).toContain('id="sw-rotation"')
  // Cross-site navigation, another origin, a rebindable DNS name: refused like the control API.
  expect((await get(`${emulator.url}/__emulator/`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403)
  expect((await get(`${emulator.url}/__emulator/`, { origin: 'http://evil.example' })).status).toBe(403)
  expect((await get(`${emulator.url}/__emulator/`, { host: `evil.example:${new URL(emulator.url).port}` })).status).toBe(403)
})

test('codes and tokens that ended are listed masked with their state: used, revoked, expired', async ({ emulator }) => {
  const { app } = emulator.app.seed
  const redeem = async () => {
    const code = codeFrom(await authorizeOverHttp(emulator))
    const t = await postToken(emulator, { grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: REDIRECT })
    expect(t.status).toBe(200)
    return { code, refresh: t.body.refresh_token ?? '', access: t.body.access_token ?? '' }
  }
  const first = await redeem()
  const second = await redeem()
  const revoked = await emulator.request('/services/oauth2/revoke', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: first.refresh }) })
  expect(revoked.status).toBe(200)
  // The session timeout passes: the second access token dies of age (the emulator's clock, no waiting).
  emulator.app.clock.advance(emulator.app.behaviour().sessionTimeoutMs + 1)
  emulator.app.state.prune({ full: true })
  const page = (await get(`${emulator.url}/__emulator/`, { 'sec-fetch-site': 'none' })).body
  // Masked values of one kind look alike (first four characters and the length): rows are told apart by kind and state.
  const rows = (kind: string, state: string) => page.match(new RegExp(`<td>${kind}</td><td>demo\\.user@example\\.com</td><td>${state}</td>`, 'g'))?.length ?? 0
  expect(page.match(/<code>aPrx…\(76 chars\)<\/code><\/td><td>demo\.user@example\.com<\/td><td>used<\/td>/g)?.length).toBe(2)
  expect(rows('refresh', 'revoked')).toBe(1)
  expect(rows('access', 'revoked')).toBe(1)
  expect(rows('access', 'expired')).toBe(1)
  expect(rows('refresh', 'live')).toBe(1)
  expect(rows('access', 'live')).toBe(0)
  for (const v of [first.code, first.refresh, first.access, second.code, second.refresh, second.access]) expect(page).not.toContain(v)
  // The ledger holds masked values only, and is bounded.
  expect(JSON.stringify(emulator.app.state.ended)).not.toContain(first.refresh)
})

test('the request log keeps paths, never a query, and is bounded', async ({ emulator }) => {
  for (let i = 0; i < 120; i++) await get(`${emulator.url}/services/oauth2/userinfo?oauth_token=secret-${i}`)
  const log = emulator.app.state.requests
  expect(log).toHaveLength(100)
  expect(log.at(-1)).toMatchObject({ method: 'GET', path: '/services/oauth2/userinfo', status: 403 })
  expect(JSON.stringify(log)).not.toContain('secret-')
})
