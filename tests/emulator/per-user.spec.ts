/**
 * Login-page switches per user (docs/emulator.md, "Per user"): a user added through the control API gets
 * the page switched on for it, the seeded user does not; the org's switches stay the default. In memory
 * (emulator.request), through the control API as another process would drive it.
 */
import type { RunningEmulator } from '../../src/emulator/index.js'
import { expect, test } from '../support/emulator.js'

const OTHER = { username: 'second.user@example.com', password: 'Second-Passw0rd!' }

async function control(em: RunningEmulator, action: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await em.request(`/__emulator/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })
  return { status: res.status, json: (await res.json()) as Record<string, unknown> }
}

/** Authorize, then the password of `who`: where the login page sends the browser, and the cookies it sets. */
async function login(em: RunningEmulator, who: { username: string; password: string }): Promise<{ location: string; href: string; cookies: string }> {
  const authorize = `/services/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(em.app.seed.app.clientId)}&redirect_uri=${encodeURIComponent('http://localhost:1717/OauthRedirect')}&state=st`
  const toLogin = await em.request(authorize, { redirect: 'manual' })
  const startURL = new URL(toLogin.headers.get('location') ?? '', em.url).searchParams.get('startURL') ?? ''
  const res = await em.request('/', { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: who.username, pw: who.password, startURL }) })
  expect(res.status, `login of ${who.username}`).toBe(302)
  const to = new URL(res.headers.get('location') ?? '', em.url)
  return { location: to.pathname, href: to.href, cookies: res.headers.getSetCookie().join('\n') }
}

const seeded = (em: RunningEmulator) => ({ username: em.app.seed.user.username, password: em.app.seed.user.password })
const CONSENT = '/setup/secur/RemoteAccessAuthorizationPage.apexp'

/** Each per-user switch, and the page the user then gets after the password. */
const PAGES: readonly { switches: Record<string, unknown>; page: string }[] = [
  { switches: { passwordExpired: true }, page: '/_ui/system/security/ChangePassword' },
  { switches: { phoneRegistration: true }, page: '/_ui/identity/phone/AddPhoneNumber' },
  { switches: { maintenance: 'once' }, page: '/msg/maintenanceandavailable.jsp' },
  { switches: { mfaRegistration: 'totp' }, page: '/_ui/identity/totp/AddTotpUi' },
  { switches: { mfaRegistration: 'passkey' }, page: '/_ui/identity/webauthn/AddPasskeyUi' },
  { switches: { mfaRegistration: 'choose' }, page: '/_ui/identity/verification/method/ChooseVerificationMethodUi' },
  { switches: { verification: 'email' }, page: '/_ui/identity/verification/method/EmailVerificationFinishUi/e' },
  { switches: { verification: 'totp' }, page: '/_ui/identity/verification/method/TotpVerificationUi/e' },
  { switches: { verification: 'sms' }, page: '/_ui/identity/verification/method/SmsVerificationFinishUi/e' },
  { switches: { verification: 'passkey' }, page: '/_ui/identity/verification/method/UnifiedPasskeyVerificationUi' },
  { switches: { orgLoginFlow: true }, page: '/apex/TermsOfUseLoginFlow' },
]

for (const { switches, page } of PAGES) {
  test(`${JSON.stringify(switches)} for one user: that user gets ${page}, the seeded user goes straight on`, async ({ emulator }) => {
    expect((await control(emulator, 'user', OTHER)).status).toBe(200)
    expect((await control(emulator, 'configure', { user: OTHER.username, ...switches })).status).toBe(200)
    expect((await login(emulator, OTHER)).location).toBe(page)
    expect((await login(emulator, seeded(emulator))).location).toBe(CONSENT)
  })
}

test('per org stays the default, and a user\'s own switch wins over the org\'s', async ({ emulator }) => {
  await control(emulator, 'user', OTHER)
  emulator.app.configure({ verification: 'email' })
  expect((await login(emulator, OTHER)).location).toMatch(/EmailVerificationFinishUi/)
  // configure() in process takes the same form as the control API.
  emulator.app.configure({ user: OTHER.username, verification: 'none' })
  expect((await login(emulator, OTHER)).location).toBe(CONSENT)
  expect((await login(emulator, seeded(emulator))).location).toMatch(/EmailVerificationFinishUi/)
  // Merged per user: a second switch keeps the first.
  emulator.app.configure({ user: OTHER.username, phoneRegistration: true })
  expect(emulator.app.behaviour().users[OTHER.username]).toEqual({ verification: 'none', phoneRegistration: true })
  expect((await login(emulator, OTHER)).location).toBe('/_ui/identity/phone/AddPhoneNumber')
})

test('the seeded user can be switched alone too; an inactive user is refused at login', async ({ emulator }) => {
  await control(emulator, 'user', OTHER)
  await control(emulator, 'configure', { user: emulator.app.seed.user.username, passwordExpired: true })
  expect((await login(emulator, seeded(emulator))).location).toBe('/_ui/system/security/ChangePassword')
  expect((await login(emulator, OTHER)).location).toBe(CONSENT)
  await control(emulator, 'configure', { user: OTHER.username, userActive: false })
  // inactive_user at the callback (docs/salesforce-oauth.md §1.5a); the seeded user still logs in.
  expect(new URL((await login(emulator, OTHER)).href).searchParams.get('error')).toBe('inactive_user')
  await control(emulator, 'configure', { user: emulator.app.seed.user.username, passwordExpired: false })
  expect((await login(emulator, seeded(emulator))).location).toBe(CONSENT)
})

test('maintenance "always" for one user: the page every time, and no session for that user', async ({ emulator }) => {
  await control(emulator, 'user', OTHER)
  await control(emulator, 'configure', { user: OTHER.username, maintenance: 'always' })
  for (let i = 0; i < 2; i++) {
    const { location, cookies } = await login(emulator, OTHER)
    expect(location).toBe('/msg/maintenanceandavailable.jsp')
    expect(cookies).not.toMatch(/(^|\n)sid=/)
  }
  const { cookies } = await login(emulator, seeded(emulator))
  expect(cookies).toMatch(/(^|\n)sid=/)
})

test('remembered for one user: the chooser lists that username (with the org\'s), not the seeded one', async ({ emulator }) => {
  await control(emulator, 'user', OTHER)
  await control(emulator, 'configure', { user: OTHER.username, remembered: true })
  const chooser = await (await emulator.request('/?ec=302&startURL=%2F')).text()
  expect(chooser).toContain('Choose a Username')
  expect(chooser).toContain(OTHER.username)
  expect(chooser).not.toContain(emulator.app.seed.user.username)
  emulator.app.configure({ rememberedUsername: 'org.wide@example.com' })
  const both = await (await emulator.request('/?ec=302&startURL=%2F')).text()
  expect([both.indexOf('org.wide@example.com') > 0, both.indexOf(OTHER.username) > 0]).toEqual([true, true])
})

test('refusals: unknown user, switches of the login page itself, bad usernames, a taken username, a short password', async ({ emulator }) => {
  const refused = async (action: string, body: unknown) => {
    const r = await control(emulator, action, body)
    expect(r.status, JSON.stringify(body)).toBe(400)
    return String(r.json.error)
  }
  expect(await refused('configure', { user: 'nobody@example.com', passwordExpired: true })).toContain('POST /__emulator/user')
  expect(await refused('configure', { user: emulator.app.seed.user.username, loginMode: 'two-step' })).toContain('loginMode cannot be set for one user')
  expect(await refused('configure', { user: emulator.app.seed.user.username, ssoButtons: true })).toContain('ssoButtons cannot be set for one user')
  expect(await refused('configure', { user: emulator.app.seed.user.username, passwordExpired: 'yes' })).toContain('passwordExpired')
  expect(await refused('configure', { user: '__proto__', passwordExpired: true })).toContain('user must be a username')
  // As JSON text: an object literal would set the prototype instead of a key.
  expect(await refused('configure', '{"users":{"__proto__":{"passwordExpired":true}}}')).toContain('users must map usernames')
  expect(await refused('user', { username: 'no-at-sign', password: OTHER.password })).toContain('username must be')
  expect(await refused('user', { username: emulator.app.seed.user.username, password: OTHER.password })).toContain('taken')
  expect(await refused('user', { username: OTHER.username, password: 'short' })).toContain('password must be')
  expect(await refused('user', { username: OTHER.username, password: OTHER.password, totpSecret: 'not base32!' })).toContain('totpSecret')
  // Nothing of that changed the behaviour.
  expect(emulator.app.behaviour().users).toEqual({})
})

test('the state shows per-user switches but never the new user\'s password or TOTP secret; reset drops both user and switches', async ({ emulator }) => {
  const secrets: string[] = []
  const totpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'
  await control(emulator, 'user', { ...OTHER, totpSecret })
  await control(emulator, 'configure', { user: OTHER.username, mfaRegistration: 'totp' })
  const state = await (await emulator.request('/__emulator/state')).text()
  secrets.push(OTHER.password, totpSecret)
  for (const s of secrets) expect(state).not.toContain(s)
  expect((JSON.parse(state) as { behaviour: { users: unknown } }).behaviour.users).toEqual({ [OTHER.username]: { mfaRegistration: 'totp' } })
  expect(emulator.app.state.users.get(OTHER.username)?.totpSecret).toBe(totpSecret)
  await control(emulator, 'reset', {})
  expect(emulator.app.state.users.has(OTHER.username)).toBe(false)
  expect(emulator.app.behaviour().users).toEqual({})
})
