/**
 * Issue 11, defects 3 and 8: requests that used to end the emulator's process, an open redirect after
 * login, and a control API any web page could drive. Each test sends the request for real.
 */
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { DEMO_SEED } from '../../src/emulator/seed.js'
import { expect, test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'
import { rawRequest } from '../support/raw-http.js'

/** The emulator still answers (a crashed worker would fail the test before this). */
async function alive(em: RunningEmulator): Promise<void> {
  const r = await fetch(`${em.url}/.well-known/openid-configuration`)
  expect(r.status).toBe(200)
}

test('a cookie with a bad percent-escape is a normal request, not a crash', async ({ emulator }) => {
  for (const cookie of ['sid=%E0%A4%A', 'sid=%', 'vid=%zz; sfdc_rd=%ff%fe', 'a=b; sid=%u0041']) {
    for (const target of ['/services/oauth2/authorize?client_id=x', '/', '/_ui/identity/verification/method/TotpVerificationUi/e']) {
      const r = await rawRequest(emulator.url, { target, headers: [['Cookie', cookie]] })
      expect(r.status, `${target} with Cookie: ${cookie}`).toBeLessThan(500)
    }
  }
  await alive(emulator)
})

test('a bad Host header or request target is a 400, not a crash', async ({ emulator }) => {
  for (const host of ['[', 'a b', 'x:99999', 'evil.example/path', 'user@host', '[zz::1]', '']) {
    const r = await rawRequest(emulator.url, { target: '/services/oauth2/authorize', headers: [['Host', host]] })
    expect(r.status, `Host: ${host}`).toBe(400)
  }
  for (const target of ['http://[/x', '*', 'mailto:x']) {
    const r = await rawRequest(emulator.url, { target })
    expect(r.status, target).toBe(400)
  }
  // "//…" is a path on this emulator (new URL('//[', base) threw; '//host/x' named another host).
  expect((await rawRequest(emulator.url, { target: '//[' })).status).toBe(404)
  expect((await rawRequest(emulator.url, { target: '//evil.example/services/oauth2/authorize' })).status).toBe(404)
  await alive(emulator)
})

test('an oversized body is 413 and a bad Basic header is invalid_client, not 500', async ({ emulator }) => {
  const big = await rawRequest(emulator.url, { method: 'POST', target: '/services/oauth2/token', headers: [['Content-Type', 'application/x-www-form-urlencoded']], body: `grant_type=refresh_token&x=${'a'.repeat(200_000)}` })
  expect(big.status).toBe(413)
  const basic = await postToken(emulator, { grant_type: 'refresh_token', refresh_token: 'x' }, { authorization: `Basic ${Buffer.from('%E0%A4%A:%').toString('base64')}` })
  expect(basic.status).toBe(400)
  expect(basic.body.error).toBe('invalid_client_id')
  await alive(emulator)
})

test('a fault inside a route is one masked 500 line, and the emulator carries on', async () => {
  const lines: string[] = []
  // A seeded authenticator secret that is not base32: the TOTP check throws inside the route.
  const seed = { ...DEMO_SEED, user: { ...DEMO_SEED.user, totpSecret: '!!!not-base32!!!' } }
  const em = await startEmulator({ seed, onError: (l) => lines.push(l) })
  try {
    em.app.configure({ verification: 'totp' })
    const login = await fetch(`${em.url}/`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: seed.user.username, pw: seed.user.password, startURL: '/' }) })
    const vid = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const r = await fetch(`${em.url}/_ui/identity/verification/method/TotpVerificationUi/e`, { method: 'POST', headers: { cookie: vid, 'content-type': 'application/x-www-form-urlencoded' }, body: 'tc=123456' })
    expect(r.status).toBe(500)
    expect(await r.text()).toBe('emulator error')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^emulator: 500 on POST \/_ui\/identity\/verification\/method\/TotpVerificationUi\/e: \w+/)
    expect(lines[0]).not.toContain(seed.user.password)
    expect(lines[0]).not.toContain('123456')
    await alive(em)
  } finally {
    await em.close()
  }
})

// ---- startURL / retURL: the Location after a real login stays on the emulator ----

async function locationAfterLogin(em: RunningEmulator, field: 'startURL' | 'retURL', value: string): Promise<string> {
  const r = await fetch(`${em.url}/`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: em.app.seed.user.username, pw: em.app.seed.user.password, [field]: value }),
  })
  expect(r.status).toBe(302)
  return r.headers.get('location') ?? ''
}

const HOSTILE = ['//evil.example/x', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '/%09/evil.example', '/%5Cevil.example', '/%2F/evil.example', '\\\\evil.example', '\\/evil.example', 'https://evil.example/', 'http:/evil.example', 'javascript:alert(1)', ' /\\evil.example', '/\u0000/evil.example', 'evil.example']

for (const field of ['startURL', 'retURL'] as const) {
  test(`${field}: after login the Location stays on the emulator's origin, whatever the value`, async ({ emulator }) => {
    for (const value of HOSTILE) {
      const loc = await locationAfterLogin(emulator, field, value)
      // As a browser resolves it (WHATWG URL: tabs and newlines stripped, "\" read as "/").
      expect(new URL(loc, emulator.url).origin, `${JSON.stringify(value)} → ${loc}`).toBe(emulator.url)
      expect(loc, JSON.stringify(value)).toMatch(/^\/(?![/\\])/)
    }
    // A real local path survives, percent-encoded where a header needs it.
    expect(await locationAfterLogin(emulator, field, '/setup/secur/RemoteAccessAuthorizationPage.apexp?source=abc')).toBe('/setup/secur/RemoteAccessAuthorizationPage.apexp?source=abc')
    expect(await locationAfterLogin(emulator, field, '/café?x=ü')).toBe('/caf%C3%A9?x=%C3%BC')
  })
}

test('the login page never renders a hostile startURL into its form', async ({ emulator }) => {
  const page = await (await fetch(`${emulator.url}/?startURL=${encodeURIComponent('/\\evil.example')}`)).text()
  expect(page).toContain('name="startURL" value="/"')
})

test('the whole HTTP flow still lands on the callback through a sanitised startURL', async ({ emulator }) => {
  expect(codeFrom(await authorizeOverHttp(emulator))).toMatch(/^aPrx/)
  expect(REDIRECT).toMatch(/^http:\/\/localhost/)
})

// ---- the control API ----

test('control API: a text/plain or form POST (what any web page can send without asking) is 415 and changes nothing', async ({ emulator }) => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
    const r = await rawRequest(emulator.url, { method: 'POST', target: '/__emulator/configure', headers: type ? [['Content-Type', type]] : [], body: '{"rotation":true}' })
    expect(r.status, type).toBe(415)
  }
  expect(emulator.app.behaviour().rotation).toBe(false)
})

test('control API: another Origin, a cross-site fetch or a rebound DNS name is 403', async ({ emulator }) => {
  const port = new URL(emulator.url).port
  const json: [string, string] = ['Content-Type', 'application/json']
  const cases: { headers: [string, string][]; why: string }[] = [
    { headers: [json, ['Origin', 'http://evil.example']], why: 'foreign Origin' },
    { headers: [json, ['Origin', 'null']], why: 'opaque Origin' },
    { headers: [json, ['Origin', `http://localhost:${port}`]], why: 'another origin of the same machine' },
    { headers: [json, ['Sec-Fetch-Site', 'cross-site']], why: 'cross-site' },
    { headers: [json, ['Sec-Fetch-Site', 'same-site']], why: 'same-site is still another origin' },
    { headers: [json, ['Host', `evil.example:${port}`]], why: 'DNS rebinding' },
  ]
  for (const c of cases) {
    const r = await rawRequest(emulator.url, { method: 'POST', target: '/__emulator/configure', headers: c.headers, body: '{"rotation":true}' })
    expect(r.status, c.why).toBe(403)
  }
  expect((await rawRequest(emulator.url, { target: '/__emulator/mailbox', headers: [['Origin', 'http://evil.example']] })).status).toBe(403)
  expect(emulator.app.behaviour().rotation).toBe(false)
  // Its own origin, a same-origin fetch and a plain client (no Origin, as Node's fetch) still work.
  const ok = await rawRequest(emulator.url, { method: 'POST', target: '/__emulator/configure', headers: [json, ['Origin', emulator.url], ['Sec-Fetch-Site', 'same-origin']], body: '{"rotation":true}' })
  expect(ok.status).toBe(200)
  expect((await rawRequest(emulator.url, { target: '/__emulator/state', headers: [['Host', `localhost:${port}`]] })).status).toBe(200)
  expect((await fetch(`${emulator.url}/__emulator/configure`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"rotation":false}' })).status).toBe(200)
  expect(emulator.app.behaviour().rotation).toBe(false)
})
