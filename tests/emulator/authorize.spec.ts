import type { RunningEmulator } from '../../src/emulator/index.js'
import { expect, test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, REDIRECT } from '../support/http-flow.js'

/** In memory (emulator.request), as a browser's first GET: the answer, redirects not followed. */
async function authorize(em: RunningEmulator, url: string): Promise<Response> {
  return em.request(url, { redirect: 'manual' })
}

test('an unknown client_id gets Salesforce\'s plain-text answer, no redirect', async ({ emulator }) => {
  const res = await authorize(emulator, `${emulator.url}/services/oauth2/authorize?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}`)
  expect(res.status).toBe(400)
  expect(res.headers.get('content-type')).toBe('text/plain;charset=UTF-8')
  expect(res.headers.get('location')).toBeNull()
  expect(await res.text()).toBe('error=invalid_client_id&error_description=client%20identifier%20invalid')
})

test('an unregistered redirect_uri gets the plain-text mismatch, byte-for-byte comparison', async ({ emulator }) => {
  const id = encodeURIComponent(emulator.app.seed.app.clientId)
  for (const uri of ['http://localhost:1717/OauthRedirect/', 'http://127.0.0.1:1717/OauthRedirect', 'https://localhost:1717/OauthRedirect']) {
    const res = await authorize(emulator, `${emulator.url}/services/oauth2/authorize?response_type=code&client_id=${id}&redirect_uri=${encodeURIComponent(uri)}`)
    expect(res.status, uri).toBe(400)
    expect(res.headers.get('location')).toBeNull()
    expect(await res.text()).toBe('error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration')
  }
})

test('a valid request goes to the login page with ec=302 and startURL to the consent page', async ({ emulator }) => {
  const id = encodeURIComponent(emulator.app.seed.app.clientId)
  const res = await authorize(emulator, `${emulator.url}/services/oauth2/authorize?response_type=code&client_id=${id}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=x`)
  expect(res.status).toBe(302)
  const loc = res.headers.get('location') ?? ''
  expect(loc).toMatch(/^\/\?ec=302&startURL=%2Fsetup%2Fsecur%2FRemoteAccessAuthorizationPage\.apexp%3Fsource%3D[A-Za-z0-9_-]+$/)
})

test('response_type other than code is redirected back with unsupported_response_type', async ({ emulator }) => {
  const id = encodeURIComponent(emulator.app.seed.app.clientId)
  const res = await authorize(emulator, `${emulator.url}/services/oauth2/authorize?response_type=token2&client_id=${id}&redirect_uri=${encodeURIComponent(REDIRECT)}&state=s1`)
  expect(res.status).toBe(302)
  const back = new URL(res.headers.get('location') ?? '')
  expect(back.searchParams.get('error')).toBe('unsupported_response_type')
  expect(back.searchParams.get('state')).toBe('s1')
})

test('login page markup is Salesforce\'s', async ({ emulator }) => {
  const html = await (await emulator.request(`${emulator.url}/?ec=302&startURL=%2Fsetup`)).text()
  expect(html).toContain('<title>Login | Salesforce</title>')
  expect(html).toMatch(/<input[^>]+type="email" id="username" name="username"/)
  expect(html).toMatch(/<input[^>]+type="password" id="password" name="pw"/)
  expect(html).toMatch(/<input[^>]+type="submit" id="Login" name="Login" value="Log In"/)
})

test('a wrong password keeps the login page with div#error.loginError and Salesforce\'s text', async ({ emulator }) => {
  const res = await emulator.request(`${emulator.url}/`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: emulator.app.seed.user.username, pw: 'wrong', startURL: '/x' }) })
  expect(res.status).toBe(200)
  expect(res.headers.get('set-cookie')).toBeNull()
  expect(await res.text()).toContain('<div id="error" class="loginError" role="alert">Please check your username and password. If you still can&#39;t log in, contact your Salesforce administrator.</div>')
})

test('two-step login: the first page has no password field, the second has', async ({ emulator }) => {
  emulator.app.configure({ loginMode: 'two-step' })
  const first = await (await emulator.request(`${emulator.url}/?ec=302&startURL=%2Fx`)).text()
  expect(first).toContain('id="username"')
  expect(first).not.toContain('id="password"')
  const second = await (await emulator.request(`${emulator.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: 'demo.user@example.com', startURL: '/x' }) })).text()
  expect(second).toContain('id="password" name="pw"')
  expect(second).toContain('id="Login"')
})

test('approve: a percent-encoded aPrx code of 76 characters, and state', async ({ emulator }) => {
  const loc = await authorizeOverHttp(emulator, { state: 'state-42' })
  expect(loc.startsWith(`${REDIRECT}?code=`)).toBe(true)
  expect(loc).toMatch(/code=aPrx[A-Za-z0-9._]{70}%3D%3D&state=state-42$/)
  const code = codeFrom(loc)
  expect(code).toMatch(/^aPrx[A-Za-z0-9._]{70}==$/)
  expect(code).toHaveLength(76)
})

test('consent page markup: Allow Access?, " Allow " and " Deny "', async ({ emulator }) => {
  const id = encodeURIComponent(emulator.app.seed.app.clientId)
  const toLogin = await emulator.request(`${emulator.url}/services/oauth2/authorize?response_type=code&client_id=${id}&redirect_uri=${encodeURIComponent(REDIRECT)}`, { redirect: 'manual' })
  const startURL = new URL(toLogin.headers.get('location') ?? '', emulator.url).searchParams.get('startURL') ?? ''
  const login = await emulator.request(`${emulator.url}/`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: 'demo.user@example.com', pw: 'Demo-Passw0rd!', startURL }) })
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const html = await (await emulator.request(`${emulator.url}${startURL}`, { headers: { cookie } })).text()
  expect(html).toContain('<h2 id="header">Allow Access?</h2>')
  expect(html).toContain('id="oaapprove" name="oaapprove" value=" Allow "')
  expect(html).toContain('id="oadeny" name="oadeny" value=" Deny "')
})

test('deny: access_denied with Salesforce\'s description and the state', async ({ emulator }) => {
  const loc = await authorizeOverHttp(emulator, { state: 's-9', decision: 'deny' })
  expect(loc).toBe(`${REDIRECT}?error=access_denied&error_description=end-user+denied+authorization&state=s-9`)
})

test('a logged-in browser that already approved goes straight back with a code', async ({ emulator }) => {
  await authorizeOverHttp(emulator)
  expect(emulator.app.state.approvals.size).toBe(1)
})

test('an unknown scope ends on Salesforce\'s error page', async ({ emulator }) => {
  const id = encodeURIComponent(emulator.app.seed.app.clientId)
  const res = await authorize(emulator, `${emulator.url}/services/oauth2/authorize?response_type=code&client_id=${id}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=api%20chatter_api`)
  expect(res.headers.get('location')).toBe('/setup/secur/RemoteAccessErrorPage.apexp?error=invalid_scope&error_description=the+requested+scope+is+not+allowed')
  const page = await (await emulator.request(`${emulator.url}${res.headers.get('location') ?? ''}`)).text()
  expect(page).toContain("We can't authorize you because of an OAuth error")
  expect(page).toContain('invalid_scope : the requested scope is not allowed')
})
