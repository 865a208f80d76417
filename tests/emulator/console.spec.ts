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

test('the request log keeps paths, never a query, and is bounded', async ({ emulator }) => {
  for (let i = 0; i < 120; i++) await get(`${emulator.url}/services/oauth2/userinfo?oauth_token=secret-${i}`)
  const log = emulator.app.state.requests
  expect(log).toHaveLength(100)
  expect(log.at(-1)).toMatchObject({ method: 'GET', path: '/services/oauth2/userinfo', status: 403 })
  expect(JSON.stringify(log)).not.toContain('secret-')
})
