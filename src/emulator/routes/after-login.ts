/**
 * What comes between a good password (and identity verification) and the session: the pages a real org
 * may put there (docs/login-pages.md), each behind a behaviour switch. Pages that must be passed before
 * the user has a session (password change, verification-method registration, the org's login flow,
 * an unanswerable verification method) hold the login under cookie `hid`; the others (phone
 * registration, maintenance) come with the session already set, and lead on to `retURL`.
 */
import { randomBytes, randomInt } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import { behaviourFor, type Emulator, type Route } from '../context.js'
import { html, redirect, type Ctx } from '../http-util.js'
import { unknownInterstitialPage } from '../views.js'
import {
  CHANGE_PASSWORD_PATH,
  changePasswordPage,
  CHOOSE_METHOD_PATH,
  chooseMethodPage,
  LIGHTNING_PATH,
  MAINTENANCE_PATH,
  maintenancePage,
  ORG_LOGIN_FLOW_PATH,
  orgLoginFlowPage,
  otherVerificationPage,
  PASSKEY_ENROL_PATH,
  PASSKEY_VERIFY_PATH,
  PHONE_PATH,
  phonePage,
  PUSH_PATH,
  SMS_PATH,
  TOTP_REGISTER_PATH,
  totpRegisterPage,
} from '../login-pages.js'
import type { HeldLogin } from '../state.js'
import { safeStart } from './login.js'

const SESSION_COOKIE = (sid: string) => `sid=${sid}; Path=/; HttpOnly; SameSite=Lax`
const HELD_COOKIE = (hid: string) => `hid=${hid}; Path=/; HttpOnly; SameSite=Lax`
const CLEAR_HELD = 'hid=; Path=/; Max-Age=0'

/** The maintenance window the page names: now until an hour later, by the emulator's clock. */
export function maintenanceUrl(em: Emulator, retUrl: string): string {
  const s = em.clock.now()
  return `${MAINTENANCE_PATH}?s=${s}&e=${s + 3_600_000}&retURL=${encodeURIComponent(retUrl)}`
}

function hold(ctx: Ctx, em: Emulator, login: HeldLogin, to: string, cookies: string[]): void {
  const hid = randomBytes(18).toString('base64url')
  em.state.held.set(hid, login)
  redirect(ctx, to, { 'set-cookie': [...cookies, HELD_COOKIE(hid)] })
}

/** The held login of this browser, or undefined (then the page sends it back to the login page). */
export function heldLogin(ctx: Ctx, em: Emulator): { hid: string; login: HeldLogin } | undefined {
  const hid = ctx.cookies.hid ?? ''
  const login = em.state.held.get(hid)
  return login === undefined ? undefined : { hid, login }
}

/**
 * Has the user registered what the prompt asks for? Then it is not shown again: a passkey for the
 * passkey prompt (an authenticator app is not phishing-resistant), an authenticator app for its
 * prompt, either for the list.
 */
function registered(em: Emulator, username: string, asks: 'choose' | 'totp' | 'passkey'): boolean {
  const passkey = (em.state.passkeys.get(username) ?? []).length > 0
  const totp = em.state.totpRegistered.has(username)
  return asks === 'passkey' ? passkey : asks === 'totp' ? totp : passkey || totp
}

/**
 * After the password and identity verification: the next page of the chain, or the session and
 * `startUrl`. `passed` names the pages already passed; `cookies` are set on the way (e.g. remember-device).
 */
export function finishLogin(ctx: Ctx, em: Emulator, username: string, startUrl: string, cookies: string[] = [], passed: readonly string[] = []): void {
  const b = behaviourFor(em, username)
  const login: HeldLogin = { username, startUrl, passed }
  const ret = encodeURIComponent(startUrl)
  if (b.passwordExpired && !passed.includes('password')) { hold(ctx, em, login, `${CHANGE_PASSWORD_PATH}?retURL=${ret}`, cookies); return; }
  if (b.mfaRegistration !== 'none' && !passed.includes('register') && !registered(em, username, b.mfaRegistration)) {
    const to = b.mfaRegistration === 'choose' ? CHOOSE_METHOD_PATH : b.mfaRegistration === 'totp' ? TOTP_REGISTER_PATH : `${PASSKEY_ENROL_PATH}?retURL=${ret}`
    hold(ctx, em, login, to, cookies); return;
  }
  if (b.orgLoginFlow && !passed.includes('login-flow')) { hold(ctx, em, login, `${ORG_LOGIN_FLOW_PATH}?retURL=${ret}`, cookies); return; }
  // In maintenance for this user every time ('always' set for one user): no session, so going on to
  // retURL leads back to the login page and to this page again (for the org, authorize.ts shows it first).
  if (b.maintenance === 'always') { redirect(ctx, maintenanceUrl(em, startUrl), { 'set-cookie': [...cookies, CLEAR_HELD] }); return; }
  const all = [...cookies, SESSION_COOKIE(em.state.newSession(username)), CLEAR_HELD]
  if (b.phoneRegistration) { redirect(ctx, `${PHONE_PATH}?retURL=${ret}`, { 'set-cookie': all }); return; }
  if (b.maintenance === 'once') { redirect(ctx, maintenanceUrl(em, startUrl), { 'set-cookie': all }); return; }
  // Misbehaviour for replay tests: a page no page object knows, with a Continue link a person could follow.
  if (b.unknownInterstitial) { html(ctx, 200, unknownInterstitialPage(startUrl), { 'set-cookie': all }); return; }
  redirect(ctx, startUrl, { 'set-cookie': all })
}

/** Go on from a held page that was passed. */
function release(ctx: Ctx, em: Emulator, hid: string, login: HeldLogin, page: string): void {
  em.state.held.delete(hid)
  finishLogin(ctx, em, login.username, login.startUrl, [], [...login.passed, page])
}

/** Extra verification methods (SMS, push, Lightning Login, passkey): the login is held on their page. */
export function startOtherVerification(ctx: Ctx, em: Emulator, username: string, startUrl: string, method: 'sms' | 'push' | 'lightning' | 'passkey'): void {
  const to = { sms: SMS_PATH, push: PUSH_PATH, lightning: LIGHTNING_PATH, passkey: PASSKEY_VERIFY_PATH }[method]
  if (method !== 'sms') { hold(ctx, em, { username, startUrl, passed: [] }, to, []); return; }
  // The code goes to the user's phone (the emulator's outbox, GET /__emulator/sms), as the email code to the mailbox.
  const smsCode = String(randomInt(0, 1_000_000)).padStart(6, '0')
  em.state.text(username, smsCode)
  em.secret(smsCode)
  hold(ctx, em, { username, startUrl, passed: [], smsCode }, to, [])
}

const toLogin = (ctx: Ctx) => redirect(ctx, '/')

export const changePasswordGet: Route = (ctx, em) => {
  const held = heldLogin(ctx, em)
  if (!held) { toLogin(ctx); return; }
  html(ctx, 200, changePasswordPage(held.login.startUrl))
}

export const changePasswordPost: Route = async (ctx, em) => {
  const held = heldLogin(ctx, em)
  if (!held) { toLogin(ctx); return; }
  const form = new URLSearchParams(await ctx.body())
  const current = form.get('currentpassword') ?? ''
  const next = form.get('newpassword') ?? ''
  for (const v of [current, next]) em.secret(v)
  const user = em.state.users.get(held.login.username)
  if (!user || current !== user.password || next.length < 8 || next !== form.get('confirmpassword') || next === current) {
    html(ctx, 200, changePasswordPage(held.login.startUrl, 'Enter your current password, and a new one of at least 8 characters twice.'))
    return
  }
  em.state.users.set(user.username, { ...user, password: next })
  release(ctx, em, held.hid, held.login, 'password')
}

/** The phone page: GET shows it (or, with `n=true`, records the opt-out and goes on); POST registers. */
export const phoneGet: Route = (ctx) => {
  const q = ctx.url.searchParams
  const ret = safeStart(q.get('retURL'), ctx.base)
  if (q.get('n') === 'true') { redirect(ctx, ret); return; }
  html(ctx, 200, phonePage(ret))
}

export const phonePost: Route = async (ctx) => {
  const form = new URLSearchParams(await ctx.body())
  redirect(ctx, safeStart(form.get('retURL'), ctx.base))
}

export const maintenanceGet: Route = (ctx, em) => {
  const s = Number(ctx.url.searchParams.get('s') ?? em.clock.now())
  const e = Number(ctx.url.searchParams.get('e') ?? em.clock.now())
  html(ctx, 200, maintenancePage(Number.isFinite(s) ? s : 0, Number.isFinite(e) ? e : 0))
}

export const orgLoginFlowGet: Route = (ctx, em) => {
  if (!heldLogin(ctx, em)) { toLogin(ctx); return; }
  html(ctx, 200, orgLoginFlowPage())
}

export const orgLoginFlowPost: Route = async (ctx, em) => {
  const held = heldLogin(ctx, em)
  if (!held) { toLogin(ctx); return; }
  const form = new URLSearchParams(await ctx.body())
  if (!form.has('j_id0:j_id2:accept')) {
    html(ctx, 200, orgLoginFlowPage())
    return
  }
  release(ctx, em, held.hid, held.login, 'login-flow')
}

export const chooseMethodGet: Route = (ctx, em) => {
  if (!heldLogin(ctx, em)) { toLogin(ctx); return; }
  html(ctx, 200, chooseMethodPage())
}

function totpSecretOf(em: Emulator, username: string): string {
  return em.state.users.get(username)?.totpSecret ?? ''
}

export const totpRegisterGet: Route = (ctx, em) => {
  const held = heldLogin(ctx, em)
  if (!held) { toLogin(ctx); return; }
  html(ctx, 200, totpRegisterPage(totpSecretOf(em, held.login.username)))
}

export const totpRegisterPost: Route = async (ctx, em) => {
  const held = heldLogin(ctx, em)
  if (!held) { toLogin(ctx); return; }
  const code = new URLSearchParams(await ctx.body()).get('t') ?? ''
  em.secret(code)
  const secret = totpSecretOf(em, held.login.username)
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' })
  if (totp.validate({ token: code, timestamp: em.clock.now(), window: 1 }) === null) {
    html(ctx, 200, totpRegisterPage(secret, "The verification code you entered isn't valid."))
    return
  }
  em.state.totpRegistered.add(held.login.username)
  release(ctx, em, held.hid, held.login, 'register')
}

export const otherVerificationGet: Route = (ctx, em) => {
  const held = heldLogin(ctx, em)
  if (!held) { toLogin(ctx); return; }
  const method = ctx.url.pathname === SMS_PATH ? 'sms' : ctx.url.pathname === PUSH_PATH ? 'push' : 'lightning'
  html(ctx, 200, otherVerificationPage(method, held.login.username))
}

/**
 * The SMS code page's answer: the texted code goes on as a verified login (and, with "Don't ask again",
 * remembers the browser as the email page does); anything else shows the page again with the error.
 */
export const smsVerificationPost: Route = async (ctx, em) => {
  const held = heldLogin(ctx, em)
  if (!held) { toLogin(ctx); return; }
  const form = new URLSearchParams(await ctx.body())
  const code = form.get('smc') ?? ''
  em.secret(code)
  const expected = held.login.smsCode
  if (expected === undefined || code !== expected) {
    html(ctx, 200, otherVerificationPage('sms', held.login.username, "The verification code you entered isn't valid. Verify the code and try again."))
    return
  }
  em.state.held.delete(held.hid)
  const cookies: string[] = []
  if (form.get('remember') === 'on') {
    const device = randomBytes(24).toString('base64url')
    em.state.remember(device)
    cookies.push(`sfdc_rd=${device}; Path=/; HttpOnly; SameSite=Lax; Max-Age=7776000`)
  }
  finishLogin(ctx, em, held.login.username, held.login.startUrl, cookies, [...held.login.passed, 'verify'])
}

export { release }
