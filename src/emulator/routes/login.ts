/**
 * The login page at `/` (docs/salesforce-oauth.md §6.1): `/?ec=302&startURL=…`. One-step by default; identifier-first
 * (username, then password) when behaviour.loginMode is 'two-step'.
 */
import { behaviourFor, callbackLocation, rememberedUsernames, type Route } from '../context.js'
import { html, redirect, safeDecode } from '../http-util.js'
import { startVerification } from './verification.js'
import { loginErrorText, loginPage } from '../views.js'
import { cardPage, chooserPage, ssoButtons } from '../login-pages.js'
import { finishLogin } from './after-login.js'

/**
 * Only a path on this origin may follow a login: anything else is an open redirect. Browsers strip tabs
 * and newlines from URLs and read "\" as "/" (WHATWG URL), so "/\host" or "/<TAB>/host" would leave the
 * origin; the value is refused unless it and its percent-decoded form start with one "/" not followed by
 * "/" or "\", hold no control character or backslash, and resolve to this origin. The answer is the
 * parsed path (ASCII, percent-encoded), so it is also safe in a Location header.
 */
export function safeStart(raw: string | null, origin: string): string {
  if (raw === null) return '/'
  // eslint-disable-next-line no-control-regex -- control characters are what browsers strip or choke on
  const shape = (v: string) => /^\/(?![/\\])/.test(v) && !/[\u0000-\u001f\u007f-\u009f\\]/.test(v)
  if (!shape(raw) || !shape(safeDecode(raw))) return '/'
  try {
    const u = new URL(raw, origin)
    return u.origin === new URL(origin).origin ? `${u.pathname}${u.search}${u.hash}` : '/'
  } catch {
    return '/'
  }
}

/** startURL, or Salesforce's older retURL when there is no startURL. */
function startParam(p: URLSearchParams): string | null {
  return p.get('startURL') ?? p.get('retURL')
}

export const loginGet: Route = (ctx, em) => {
  const q = ctx.url.searchParams
  const startUrl = safeStart(startParam(q), ctx.base)
  const b = em.behaviour()
  // A browser that remembers a username (docs/login-pages.md): its chooser or card, unless the user
  // asked for another username (`nc`, the emulator's own parameter).
  const remembered = rememberedUsernames(b)
  const [first] = remembered
  if (first !== undefined && q.get('nc') !== '1') {
    const chosen = q.get('un')
    html(ctx, 200, chosen !== null || b.rememberedView === 'card' ? cardPage(startUrl, chosen ?? first) : chooserPage(startUrl, remembered))
    return
  }
  const step = b.loginMode === 'two-step' ? 'username' : 'one-step'
  // `un` pre-fills the username (the authorize request's login_hint lands here); `display` is kept as the page's hidden field.
  const un = q.get('un')
  const display = q.get('display')
  const page = loginPage({ startUrl, step, ...(un === null ? {} : { username: un }), ...(display === null ? {} : { display }) })
  html(ctx, 200, b.ssoButtons ? page.replace('</form></div>', `</form>${ssoButtons(startUrl)}</div>`) : page)
}

export const loginPost: Route = async (ctx, em) => {
  const form = new URLSearchParams(await ctx.body())
  const startUrl = safeStart(startParam(form), ctx.base)
  const username = (form.get('username') ?? '').trim()
  const password = form.get('pw')
  em.secret(password)
  const twoStep = em.behaviour().loginMode === 'two-step'
  if (twoStep && password === null) {
    // First step of the identifier-first page: show the password step for this username.
    html(ctx, 200, loginPage({ startUrl, step: 'password', username }))
    return
  }
  const user = em.state.users.get(username)
  const active = behaviourFor(em, username).userActive
  if (user && password === user.password && (!user.active || !active)) {
    // A frozen or deactivated user: the authorize request ends with inactive_user at the callback
    // (Salesforce's list of web-flow errors, docs/salesforce-oauth.md §1.5a).
    const pending = em.state.pending.get(new URL(startUrl, ctx.base).searchParams.get('source') ?? '')
    if (pending) {
      redirect(ctx, callbackLocation(em, pending.redirectUri, { error: 'inactive_user', error_description: 'user is inactive', state: pending.state }))
      return
    }
  }
  if (!user || password !== user.password || !user.active || !active) {
    html(ctx, 200, loginPage({ startUrl, step: twoStep ? 'username' : 'one-step', username, error: loginErrorText() }))
    return
  }
  if (startVerification(ctx, em, user.username, startUrl)) return
  finishLogin(ctx, em, user.username, startUrl)
}
