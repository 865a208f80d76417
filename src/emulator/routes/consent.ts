/**
 * "Allow Access?" at /setup/secur/RemoteAccessAuthorizationPage.apexp (docs/salesforce-oauth.md §6.3). Allow issues a
 * code and redirects to the callback; Deny redirects with access_denied (docs/salesforce-oauth.md §1.3 step 3).
 */
import { callbackLocation, CONSENT_PATH, scopesOf, type Emulator, type Route } from '../context.js'
import { html, redirect, type Ctx } from '../http-util.js'
import { consentPage, errorPage } from '../views.js'
import type { PendingAuthorization } from '../state.js'
import { needsConsent } from './authorize.js'
import { fragmentLocation, userAgentAnswer } from './user-agent.js'

function issueAndRedirect(ctx: Ctx, em: Emulator, source: string, p: PendingAuthorization, username: string): void {
  em.state.pending.delete(source)
  if (p.responseType === 'token') {
    userAgentAnswer(ctx, em, p, username)
    return
  }
  // auth_time: when the browser logged in, if max_age or prompt=login asked for it (OpenID Connect Core §2).
  const authTime = p.maxAge !== undefined || p.prompt.includes('login') ? em.state.sessions.setAt(ctx.cookies.sid ?? '') : undefined
  const code = em.state.issueCode(p, username, ctx.base, authTime)
  em.secret(code)
  // encodeURIComponent turns the trailing "==" into %3D%3D, as Salesforce does (docs/salesforce-oauth.md §1.4).
  redirect(ctx, callbackLocation(em, p.redirectUri, { code, state: p.state }))
}

function session(ctx: Ctx, em: Emulator): string | undefined {
  return em.state.sessions.get(ctx.cookies.sid ?? '')
}

export const consentGet: Route = (ctx, em) => {
  const source = ctx.url.searchParams.get('source') ?? ''
  const p = em.state.pending.get(source)
  if (!p) {
    html(ctx, 200, errorPage('OAUTH_APPROVAL_ERROR_GENERIC', 'An unexpected error has occurred during authentication. Please try again.'))
    return
  }
  const username = session(ctx, em)
  if (username === undefined) {
    redirect(ctx, `/?ec=302&startURL=${encodeURIComponent(`${CONSENT_PATH}?source=${source}`)}`)
    return
  }
  if (!needsConsent(em, p, username)) {
    issueAndRedirect(ctx, em, source, p, username)
    return
  }
  const app = em.state.apps.get(p.clientId)
  // The approvals (refresh tokens) this Allow will revoke: the oldest beyond the limit, once a new one is added.
  const mine = [...em.state.refreshTokens.values()].filter((r) => r.username === username && r.clientId === p.clientId).sort((a, b) => a.issuedAt - b.issuedAt)
  const revoking = mine.slice(0, Math.max(0, mine.length + 1 - em.behaviour().maxApprovals)).map((r) => `Approved ${new Date(r.issuedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`)
  html(ctx, 200, consentPage({ appName: app?.name ?? p.clientId, scopes: scopesOf(p.scope), source, username, revoking }))
}

export const consentPost: Route = async (ctx, em) => {
  const form = new URLSearchParams(await ctx.body())
  const source = form.get('source') ?? ''
  const p = em.state.pending.get(source)
  const username = session(ctx, em)
  if (!p || username === undefined) {
    html(ctx, 200, errorPage('OAUTH_APPROVAL_ERROR_GENERIC', 'An unexpected error has occurred during authentication. Please try again.'))
    return
  }
  if (form.has('oadeny')) {
    em.state.pending.delete(source)
    if (p.responseType === 'token') {
      redirect(ctx, fragmentLocation(em, p.redirectUri, { error: 'access_denied', error_description: 'end-user denied authorization', state: p.state }))
      return
    }
    redirect(ctx, callbackLocation(em, p.redirectUri, { error: 'access_denied', error_description: 'end-user denied authorization', state: p.state }).replace('end-user%20denied%20authorization', 'end-user+denied+authorization'))
    return
  }
  em.state.approvals.set(`${username} ${p.clientId}`, p.scope)
  issueAndRedirect(ctx, em, source, p, username)
}
