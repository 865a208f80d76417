/**
 * The emulator's SMS verification page answers like the email-code page: the code texted to the user's
 * phone (its test double, GET /__emulator/sms) logs in, a wrong one shows the page again, "Don't ask again"
 * remembers the browser. In memory (emulator.request). The harness still stops at this page
 * (VERIFICATION_METHOD_UNSUPPORTED, tests/scenarios/login-pages.spec.ts).
 */
import type { RunningEmulator } from '../../src/emulator/index.js'
import { expect, test } from '../support/emulator.js'

const SMS_PATH = '/_ui/identity/verification/method/SmsVerificationFinishUi/e'
const CONSENT = '/setup/secur/RemoteAccessAuthorizationPage.apexp'

const cookiesOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').filter((c) => !c.endsWith('='))

async function loginToSms(em: RunningEmulator, cookie = ''): Promise<{ res: Response; cookie: string }> {
  const toLogin = await em.request(`/services/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(em.app.seed.app.clientId)}&redirect_uri=${encodeURIComponent('http://localhost:1717/OauthRedirect')}&state=st`, { redirect: 'manual' })
  const startURL = new URL(toLogin.headers.get('location') ?? '', em.url).searchParams.get('startURL') ?? ''
  const { username, password } = em.app.seed.user
  const res = await em.request('/', { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ username, pw: password, startURL }) })
  return { res, cookie: cookiesOf(res).join('; ') }
}

const post = (em: RunningEmulator, cookie: string, form: Record<string, string>) => em.request(SMS_PATH, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams(form) })

async function texted(em: RunningEmulator): Promise<{ status: number; to?: string; code?: string }> {
  const res = await em.request('/__emulator/sms')
  return { status: res.status, ...((await res.json()) as { to?: string; code?: string }) }
}

test('the texted code logs in; a wrong code shows the page again with the error; the code is single use', async ({ emulator }) => {
  emulator.app.configure({ verification: 'sms' })
  expect((await texted(emulator)).status).toBe(404)
  const { res, cookie } = await loginToSms(emulator)
  expect(new URL(res.headers.get('location') ?? '', emulator.url).pathname).toBe(SMS_PATH)
  const page = await (await emulator.request(SMS_PATH, { headers: { cookie } })).text()
  expect(page).toContain('id="smc"')
  expect(page).not.toContain('id="error"')
  const sms = await texted(emulator)
  expect(sms).toMatchObject({ status: 200, to: emulator.app.seed.user.username, code: expect.stringMatching(/^\d{6}$/) })
  const code = sms.code ?? ''
  const wrong = await post(emulator, cookie, { smc: code === '000000' ? '000001' : '000000' })
  expect(wrong.status).toBe(200)
  expect(await wrong.text()).toContain('id="error"')
  const right = await post(emulator, cookie, { smc: code })
  expect(right.status).toBe(302)
  expect(new URL(right.headers.get('location') ?? '', emulator.url).pathname).toBe(CONSENT)
  expect(cookiesOf(right).some((c) => c.startsWith('sid='))).toBe(true)
  // The held login is gone: the same code again lands on the login page.
  const again = await post(emulator, cookie, { smc: code })
  expect(again.headers.get('location')).toBe('/')
})

test('each login is texted its own code, and a code passes only its own login', async ({ emulator }) => {
  emulator.app.configure({ verification: 'sms' })
  const first = await loginToSms(emulator)
  const firstCode = (await texted(emulator)).code ?? ''
  const second = await loginToSms(emulator)
  const secondCode = (await texted(emulator)).code ?? ''
  expect(emulator.app.state.texts).toHaveLength(2)
  if (firstCode !== secondCode) expect((await post(emulator, second.cookie, { smc: firstCode })).status).toBe(200)
  expect((await post(emulator, first.cookie, { smc: firstCode })).status).toBe(302)
  expect((await post(emulator, second.cookie, { smc: secondCode })).status).toBe(302)
})

test('"Don\'t ask again on this browser": the next login of this browser is not asked for a code', async ({ emulator }) => {
  emulator.app.configure({ verification: 'sms' })
  const { cookie } = await loginToSms(emulator)
  const right = await post(emulator, cookie, { smc: (await texted(emulator)).code ?? '', remember: 'on' })
  const device = cookiesOf(right).find((c) => c.startsWith('sfdc_rd='))
  expect(device).toBeDefined()
  const next = await loginToSms(emulator, device)
  expect(new URL(next.res.headers.get('location') ?? '', emulator.url).pathname).toBe(CONSENT)
  expect(emulator.app.state.texts).toHaveLength(1)
})
