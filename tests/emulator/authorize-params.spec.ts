/**
 * Authorize parameters on the emulator, one scenario each: login_hint, prompt (login, consent, login
 * consent, select_account), display, max_age and auth_time, and the user-agent flow (response_type=token)
 * answering in the fragment, errors included, and refused when the org blocks it.
 */
import { expect, test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'
import type { RunningEmulator } from '../../src/emulator/index.js'

function authorizeUrl(em: RunningEmulator, params: Record<string, string>): string {
  const u = new URL(`${em.url}/services/oauth2/authorize`)
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: em.app.seed.app.clientId, redirect_uri: REDIRECT, state: 'st', scope: 'api openid', ...params })) u.searchParams.set(k, v)
  return u.toString()
}

const get = (url: string, cookie = '') => fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} })

/** Log in at the login page with this startURL; returns the session cookie and where it sends the browser. */
async function login(em: RunningEmulator, startURL: string): Promise<{ cookie: string; next: string }> {
  const res = await fetch(`${em.url}/`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: em.app.seed.user.username, pw: em.app.seed.user.password, startURL }) })
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '', next: new URL(res.headers.get('location') ?? '', em.url).toString() }
}

/** Authorize with a logged-in browser that already approved the app: returns the cookie. */
async function loggedInAndApproved(em: RunningEmulator): Promise<string> {
  const first = await get(authorizeUrl(em, {}))
  const startURL = new URL(first.headers.get('location') ?? '', em.url).searchParams.get('startURL') ?? ''
  const { cookie, next } = await login(em, startURL)
  const consent = new URL(next)
  await fetch(`${em.url}${consent.pathname}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ source: consent.searchParams.get('source') ?? '', oaapprove: ' Allow ' }) })
  return cookie
}

const where = (res: Response) => new URL(res.headers.get('location') ?? '', 'http://x').pathname

test('login_hint pre-fills the username field of the login page', async ({ emulator }) => {
  const res = await get(authorizeUrl(emulator, { login_hint: 'hint.user@example.com' }))
  const page = await (await get(new URL(res.headers.get('location') ?? '', emulator.url).toString())).text()
  expect(page).toMatch(/<input[^>]+id="username" name="username" value="hint\.user@example\.com"/)
})

test('display=touch is carried to the login page; an unknown display value is dropped', async ({ emulator }) => {
  const touch = new URL((await get(authorizeUrl(emulator, { display: 'touch' }))).headers.get('location') ?? '', emulator.url)
  expect(await (await get(touch.toString())).text()).toContain('<input type="hidden" name="display" value="touch">')
  const odd = new URL((await get(authorizeUrl(emulator, { display: '"><script>' }))).headers.get('location') ?? '', emulator.url)
  expect(odd.searchParams.has('display')).toBe(false)
})

test('a logged-in, approved browser gets its code at once; prompt=login asks for the login again', async ({ emulator }) => {
  const cookie = await loggedInAndApproved(emulator)
  const again = await get(authorizeUrl(emulator, {}), cookie)
  const consent = await get(new URL(again.headers.get('location') ?? '', emulator.url).toString(), cookie)
  expect(new URL(consent.headers.get('location') ?? '').searchParams.has('code')).toBe(true)
  expect(where(await get(authorizeUrl(emulator, { prompt: 'login' }), cookie))).toBe('/')
})

test('prompt=consent shows the approval page again; prompt=login consent logs in, then asks', async ({ emulator }) => {
  const cookie = await loggedInAndApproved(emulator)
  const consent = await get(new URL((await get(authorizeUrl(emulator, { prompt: 'consent' }), cookie)).headers.get('location') ?? '', emulator.url).toString(), cookie)
  expect(consent.status).toBe(200)
  expect(await consent.text()).toContain('Allow Access?')
  const both = await get(authorizeUrl(emulator, { prompt: 'login consent' }), cookie)
  expect(where(both)).toBe('/')
  const { cookie: fresh, next } = await login(emulator, new URL(both.headers.get('location') ?? '', emulator.url).searchParams.get('startURL') ?? '')
  expect(await (await get(next, fresh)).text()).toContain('Allow Access?')
})

test('prompt=select_account: logged in, the approval page without a login; logged out, the login page', async ({ emulator }) => {
  expect(where(await get(authorizeUrl(emulator, { prompt: 'select_account' })))).toBe('/')
  const cookie = await loggedInAndApproved(emulator)
  const res = await get(authorizeUrl(emulator, { prompt: 'select_account' }), cookie)
  expect(where(res)).toBe('/setup/secur/RemoteAccessAuthorizationPage.apexp')
  expect(await (await get(new URL(res.headers.get('location') ?? '', emulator.url).toString(), cookie)).text()).toContain('Allow Access?')
})

function claimsOf(idToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
}

test('nonce is carried into the id_token; auth_time only when max_age or prompt=login was sent', async ({ emulator }) => {
  const exchange = async (extra: Record<string, string>) => {
    const code = codeFrom(await authorizeOverHttp(emulator, { scope: 'api openid', extra }))
    const t = await postToken(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: emulator.app.seed.app.clientId, client_secret: emulator.app.seed.app.clientSecret })
    return claimsOf(t.body.id_token ?? '')
  }
  const plain = await exchange({ nonce: 'abc' })
  expect(plain.nonce).toBe('abc')
  expect(plain.auth_time).toBeUndefined()
  const withMaxAge = await exchange({ max_age: '600' })
  expect(typeof withMaxAge.auth_time).toBe('number')
  expect(Math.abs((withMaxAge.auth_time as number) - Math.floor(emulator.app.clock.now() / 1000))).toBeLessThanOrEqual(1)
  expect(typeof (await exchange({ prompt: 'login' })).auth_time).toBe('number')
})

test('max_age: a session older than it logs in again', async ({ emulator }) => {
  const cookie = await loggedInAndApproved(emulator)
  expect(where(await get(authorizeUrl(emulator, { max_age: '60' }), cookie))).not.toBe('/')
  emulator.app.clock.advance(61_000)
  expect(where(await get(authorizeUrl(emulator, { max_age: '60' }), cookie))).toBe('/')
})

test('user-agent flow: response_type=token answers in the fragment with the token fields and state', async ({ emulator }) => {
  const cookie = await loggedInAndApproved(emulator)
  const res = await get(authorizeUrl(emulator, { response_type: 'token', scope: 'api' }), cookie)
  const consent = await get(new URL(res.headers.get('location') ?? '', emulator.url).toString(), cookie)
  const back = new URL(consent.headers.get('location') ?? '')
  expect(back.search).toBe('')
  const f = new URLSearchParams(back.hash.slice(1))
  expect([...f.keys()]).toEqual(['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at', 'state'])
  expect(f.get('state')).toBe('st')
  const ui = await fetch(`${emulator.url}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${f.get('access_token') ?? ''}` } })
  expect(ui.status).toBe(200)
})

test('user-agent flow: Deny and a blocked flow answer in the fragment, never the query', async ({ emulator }) => {
  const first = await get(authorizeUrl(emulator, { response_type: 'token', scope: 'api' }))
  const { cookie, next } = await login(emulator, new URL(first.headers.get('location') ?? '', emulator.url).searchParams.get('startURL') ?? '')
  const consent = new URL(next)
  const denied = await fetch(`${emulator.url}${consent.pathname}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ source: consent.searchParams.get('source') ?? '', oadeny: ' Deny ' }) })
  const back = new URL(denied.headers.get('location') ?? '')
  expect([back.search, new URLSearchParams(back.hash.slice(1)).get('error')]).toEqual(['', 'access_denied'])
  emulator.app.configure({ blockUserAgentFlow: true })
  const blocked = new URL((await get(authorizeUrl(emulator, { response_type: 'token' }))).headers.get('location') ?? '')
  expect(blocked.search).toBe('')
  expect(Object.fromEntries(new URLSearchParams(blocked.hash.slice(1)))).toMatchObject({ error: 'oauth_flow_disabled', state: 'st' })
  // The web server flow is not affected by the block.
  expect(where(await get(authorizeUrl(emulator, {})))).toBe('/')
})
