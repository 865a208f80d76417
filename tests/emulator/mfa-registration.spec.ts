/**
 * The verification-method registration prompt is remembered per user once passed: a user who connected
 * an authenticator app is not asked again (another user still is), and a wrong code registers nothing.
 * In memory (emulator.request).
 */
import { Secret, TOTP } from 'otpauth'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { expect, test } from '../support/emulator.js'

const TOTP_REGISTER = '/_ui/identity/totp/AddTotpUi'
const CHOOSE = '/_ui/identity/verification/method/ChooseVerificationMethodUi'
const PASSKEY_ENROL = '/_ui/identity/webauthn/AddPasskeyUi'
const CONSENT = '/setup/secur/RemoteAccessAuthorizationPage.apexp'
const OTHER = { username: 'second.user@example.com', password: 'Second-Passw0rd!', totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }

/** A fresh browser (no cookies) logs in as `who`: where it is sent, and its held-login cookie. */
async function login(em: RunningEmulator, who: { username: string; password: string }): Promise<{ path: string; cookie: string }> {
  const toLogin = await em.request(`/services/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(em.app.seed.app.clientId)}&redirect_uri=${encodeURIComponent('http://localhost:1717/OauthRedirect')}&state=st`, { redirect: 'manual' })
  const startURL = new URL(toLogin.headers.get('location') ?? '', em.url).searchParams.get('startURL') ?? ''
  const res = await em.request('/', { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: who.username, pw: who.password, startURL }) })
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').filter((c) => c.startsWith('hid=')).join('; ')
  return { path: new URL(res.headers.get('location') ?? '', em.url).pathname, cookie }
}

/** Connect the authenticator app on the prompt with `code`; where the page sends the browser (200: shown again). */
async function connect(em: RunningEmulator, cookie: string, code: string): Promise<{ status: number; path: string }> {
  const res = await em.request(TOTP_REGISTER, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ t: code }) })
  return { status: res.status, path: new URL(res.headers.get('location') ?? '/-', em.url).pathname }
}

const codeFor = (em: RunningEmulator, secret: string) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: em.app.clock.now() })
const seeded = (em: RunningEmulator) => em.app.seed.user

test('"Connect an Authenticator App" passed once: that user is not asked again, another user still is', async ({ emulator }) => {
  emulator.app.state.addUser({ ...seeded(emulator), ...OTHER, email: OTHER.username, userId: '0055g00000U0001AAA' })
  emulator.app.configure({ mfaRegistration: 'totp' })
  const first = await login(emulator, seeded(emulator))
  expect(first.path).toBe(TOTP_REGISTER)
  expect(await connect(emulator, first.cookie, codeFor(emulator, seeded(emulator).totpSecret))).toEqual({ status: 302, path: CONSENT })
  // A new browser, a new login, later: no prompt for this user.
  emulator.app.clock.advance(60 * 60 * 1000)
  expect((await login(emulator, seeded(emulator))).path).toBe(CONSENT)
  expect((await login(emulator, OTHER)).path).toBe(TOTP_REGISTER)
})

test('a wrong code on the prompt registers nothing: the prompt comes back at the next login', async ({ emulator }) => {
  emulator.app.configure({ mfaRegistration: 'totp' })
  const first = await login(emulator, seeded(emulator))
  const right = codeFor(emulator, seeded(emulator).totpSecret)
  expect((await connect(emulator, first.cookie, right === '123456' ? '654321' : '123456')).status).toBe(200)
  expect((await login(emulator, seeded(emulator))).path).toBe(TOTP_REGISTER)
})

test('registered through the list ("Choose a Verification Method"): not asked again; a passkey prompt still asks (an app is not phishing-resistant)', async ({ emulator }) => {
  emulator.app.configure({ mfaRegistration: 'choose' })
  const first = await login(emulator, seeded(emulator))
  expect(first.path).toBe(CHOOSE)
  expect(await connect(emulator, first.cookie, codeFor(emulator, seeded(emulator).totpSecret))).toEqual({ status: 302, path: CONSENT })
  expect((await login(emulator, seeded(emulator))).path).toBe(CONSENT)
  emulator.app.configure({ mfaRegistration: 'totp' })
  expect((await login(emulator, seeded(emulator))).path).toBe(CONSENT)
  emulator.app.configure({ mfaRegistration: 'passkey' })
  expect((await login(emulator, seeded(emulator))).path).toBe(PASSKEY_ENROL)
})

test('reset forgets the registration', async ({ emulator }) => {
  emulator.app.configure({ mfaRegistration: 'totp' })
  const first = await login(emulator, seeded(emulator))
  await connect(emulator, first.cookie, codeFor(emulator, seeded(emulator).totpSecret))
  emulator.app.reset()
  emulator.app.configure({ mfaRegistration: 'totp' })
  expect((await login(emulator, seeded(emulator))).path).toBe(TOTP_REGISTER)
})
