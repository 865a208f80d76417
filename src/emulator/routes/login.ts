/**
 * The login page at `/` (reference §6.1): `/?ec=302&startURL=…`. One-step by default; identifier-first
 * (username, then password) when behaviour.loginMode is 'two-step'.
 */
import type { Route } from '../context.js'
import { html, redirect } from '../http-util.js'
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
  if (!user || password !== user.password || !user.active) {
    html(ctx, 200, loginPage({ startUrl, step: twoStep ? 'username' : 'one-step', username, error: loginErrorText() }))
    return
  }
  const sid = em.state.newSession(user.username)
  redirect(ctx, startUrl, { 'set-cookie': `sid=${sid}; Path=/; HttpOnly; SameSite=Lax` })
}
