/**
 * The login page at `/` (docs/salesforce-oauth.md §6.1): `/?ec=302&startURL=…`. One-step by default; identifier-first
 * (username, then password) when behaviour.loginMode is 'two-step'.
 */
import { callbackLocation, type Route } from '../context.js'
import { html, redirect } from '../http-util.js'
import { startVerification } from './verification.js'
import { loginErrorText, loginPage } from '../views.js'

/** Only local paths may follow a login: anything else would be an open redirect. */
function safeStart(raw: string | null): string {
  return raw !== null && raw.startsWith('/') && !raw.startsWith('//') ? raw : '/'
}

export const loginGet: Route = (ctx, em) => {
  const startUrl = safeStart(ctx.url.searchParams.get('startURL'))
  const step = em.behaviour().loginMode === 'two-step' ? 'username' : 'one-step'
  html(ctx, 200, loginPage({ startUrl, step }))
}

export const loginPost: Route = async (ctx, em) => {
  const form = new URLSearchParams(await ctx.body())
  const startUrl = safeStart(form.get('startURL'))
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
  if (user && password === user.password && (!user.active || !em.behaviour().userActive)) {
    // A frozen or deactivated user: the authorize request ends with inactive_user at the callback
    // (Salesforce's list of web-flow errors, docs/salesforce-oauth.md §1.5a).
    const pending = em.state.pending.get(new URL(startUrl, ctx.base).searchParams.get('source') ?? '')
    if (pending) {
      redirect(ctx, callbackLocation(em, pending.redirectUri, { error: 'inactive_user', error_description: 'user is inactive', state: pending.state }))
      return
    }
  }
  if (!user || password !== user.password || !user.active || !em.behaviour().userActive) {
    html(ctx, 200, loginPage({ startUrl, step: twoStep ? 'username' : 'one-step', username, error: loginErrorText() }))
    return
  }
  if (startVerification(ctx, em, user.username, startUrl)) return
  const sid = em.state.newSession(user.username)
  redirect(ctx, startUrl, { 'set-cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` })
}
