/**
 * "Verify Your Identity" (docs/salesforce-oauth.md §6.2): the email-code page
 * `/_ui/identity/verification/method/EmailVerificationFinishUi/e` (`#emc`, `#save`) and the authenticator
 * page `/_ui/identity/verification/method/TotpVerificationUi/e` (`#tc`, `#save`). Checking "remember this
 * browser" sets a cookie that skips verification next time.
 */
import { randomBytes, randomInt } from 'node:crypto'
import { TOTP, Secret } from 'otpauth'
import { behaviourFor, type Emulator, type Route } from '../context.js'
import { html, redirect, type Ctx } from '../http-util.js'
import { verificationPage } from '../views.js'
import { finishLogin, startOtherVerification } from './after-login.js'

export const EMAIL_PATH = '/_ui/identity/verification/method/EmailVerificationFinishUi/e'
export const TOTP_PATH = '/_ui/identity/verification/method/TotpVerificationUi/e'

/** After a good password: verify first unless this browser is remembered. Returns true when it redirected. */
export function startVerification(ctx: Ctx, em: Emulator, username: string, startUrl: string): boolean {
  const method = behaviourFor(em, username).verification
  if (method === 'none' || em.state.rememberedDevices.has(ctx.cookies.sfdc_rd ?? '')) return false
  if (method !== 'email' && method !== 'totp') {
    startOtherVerification(ctx, em, username, startUrl, method)
    return true
  }
  const vid = randomBytes(18).toString('base64url')
  let emailCode: string | undefined
  if (method === 'email') {
    emailCode = String(randomInt(0, 1_000_000)).padStart(6, '0')
    em.state.mail(username, emailCode)
    em.secret(emailCode)
  }
  em.state.verifying.set(vid, { username, startUrl, method, emailCode, attempts: 0 })
  redirect(ctx, method === 'email' ? EMAIL_PATH : TOTP_PATH, { 'set-cookie': `vid=${vid}; Path=/; HttpOnly; SameSite=Lax` })
  return true
}

export const verificationGet: Route = (ctx, em) => {
  const v = em.state.verifying.get(ctx.cookies.vid ?? '')
  if (!v) {
    redirect(ctx, '/')
    return
  }
  html(ctx, 200, verificationPage(v.method, ctx.url.pathname, v.username))
}

function totpOk(em: Emulator, username: string, token: string): boolean {
  const user = em.state.users.get(username)
  if (!user) return false
  const totp = new TOTP({ secret: Secret.fromBase32(user.totpSecret), digits: 6, period: 30, algorithm: 'SHA1' })
  return totp.validate({ token, timestamp: em.clock.now(), window: 1 }) !== null
}

export const verificationPost: Route = async (ctx, em) => {
  const vid = ctx.cookies.vid ?? ''
  const v = em.state.verifying.get(vid)
  if (!v) {
    redirect(ctx, '/')
    return
  }
  const form = new URLSearchParams(await ctx.body())
  const code = (v.method === 'email' ? form.get('emc') : form.get('tc')) ?? ''
  em.secret(code)
  const ok = v.method === 'email' ? code !== '' && code === v.emailCode : totpOk(em, v.username, code)
  if (!ok) {
    v.attempts++
    html(ctx, 200, verificationPage(v.method, ctx.url.pathname, v.username, "The verification code you entered isn't valid. Verify the code and try again."))
    return
  }
  em.state.verifying.delete(vid)
  const cookies = ['vid=; Path=/; Max-Age=0']
  if (form.get('remember') === 'on' || form.has('RememberDeviceCheckbox')) {
    const device = randomBytes(24).toString('base64url')
    em.state.remember(device)
    cookies.push(`sfdc_rd=${device}; Path=/; HttpOnly; SameSite=Lax; Max-Age=7776000`)
  }
  finishLogin(ctx, em, v.username, v.startUrl, cookies)
}
