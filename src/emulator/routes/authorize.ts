/**
 * GET /services/oauth2/authorize (docs/salesforce-oauth.md §1.2–§1.5, §9).
 * Bad client_id / redirect_uri: plain text, no redirect (§1.5b). Otherwise to login, consent or straight
 * back with a code when the browser is logged in and the app already approved.
 */
import { randomBytes } from 'node:crypto'
import { allowsRefresh, callbackLocation, CONSENT_PATH, effectiveApp, ERROR_PAGE_PATH, scopesOf, type Route } from '../context.js'
import { redirect, send, type Ctx } from '../http-util.js'
import type { PendingAuthorization } from '../state.js'
import type { Emulator } from '../context.js'
import { fragmentLocation } from './user-agent.js'

/** Salesforce's `display` values (authorize parameters table); another value shows the full page. */
const DISPLAYS = ['page', 'popup', 'touch', 'mobile']
import { maintenanceUrl } from './after-login.js'

function plainError(ctx: Ctx, body: string): void {
  // The status is UNVERIFIED (docs/salesforce-oauth.md §1.5b); 400 is what an RFC 6749 §4.1.2.1 server sends.
  send(ctx, 400, { 'content-type': 'text/plain;charset=UTF-8', 'cache-control': 'no-cache, no-store' }, body)
}

export const authorize: Route = (ctx, em) => {
  const q = ctx.url.searchParams
  const clientId = q.get('client_id') ?? ''
  const registered = em.state.apps.get(clientId)
  const app = registered && effectiveApp(em, registered)
  if (!app) {
    plainError(ctx, 'error=invalid_client_id&error_description=client%20identifier%20invalid')
    return
  }
  const redirectUri = q.get('redirect_uri') ?? ''
  if (!app.redirectUris.includes(redirectUri)) {
    plainError(ctx, 'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration')
    return
  }
  const state = q.get('state') ?? undefined
  const responseType = q.get('response_type')
  // The user-agent flow answers in the fragment, errors included (user-agent.ts).
  const back = (error: string, description: string) => redirect(ctx, (responseType === 'token' ? fragmentLocation : callbackLocation)(em, redirectUri, { error, error_description: description, state }))
  if (responseType !== 'code' && responseType !== 'token') {
    back('unsupported_response_type', 'response type not supported')
    return
  }
  const b = em.behaviour()
  if (responseType === 'token' && b.blockUserAgentFlow) {
    // "Block Authorization Flows to Improve Security" (Salesforce Help, remoteaccess_disable_username_password_flow):
    // oauth_flow_disabled is in the server's own error list (Mobile SDK OAuthErrorCode.kt); the description is UNVERIFIED.
    back('oauth_flow_disabled', 'user-agent flow is disabled for this org')
    return
  }
  if (b.maintenance === 'always') {
    // The org is in maintenance: every authorize request lands on the maintenance page (docs/login-pages.md).
    redirect(ctx, maintenanceUrl(em, `${ctx.url.pathname}${ctx.url.search}`))
    return
  }
  if (b.appBlocked) {
    // Redirected with state (n8n-io/n8n#21589; Copilot-for-Sales TSG), docs/salesforce-oauth.md §1.5a.
    back('OAUTH_APP_BLOCKED', 'this app is blocked by admin')
    return
  }
  if (!b.appInstalled) {
    // Error page, without state ("Salesforce did not echo state on that page"), docs/salesforce-oauth.md §1.5c, §8.8.
    redirect(ctx, `${ERROR_PAGE_PATH}?error=invalid_client&error_description=app+must+be+installed+into+org`)
    return
  }
  const challenge = q.get('code_challenge') ?? undefined
  // Salesforce treats a missing code_challenge_method as S256 (docs/salesforce-oauth.md §1.2, §2.5; jsforce and the
  // sf CLI send none); the RFC 7636 default would be plain.
  const rawMethod = q.get('code_challenge_method')
  const method = challenge === undefined ? undefined : rawMethod === null || rawMethod === 'S256' ? 'S256' : rawMethod === 'plain' ? 'plain' : null
  if (method === null) {
    back('invalid_request', 'invalid code_challenge_method')
    return
  }
  if (app.requirePkce && challenge === undefined) {
    // The org's "Require PKCE" setting: Salesforce's error page (airbyte PR #85057).
    redirect(ctx, `${ERROR_PAGE_PATH}?error=OAUTH_APPROVAL_ERROR_GENERIC&error_description=${encodeURIComponent('An unexpected error has occurred during authentication. Please try again.')}`)
    return
  }
  // Omitted scope grants every scope of the app (docs/salesforce-oauth.md §1.2).
  const requested = q.get('scope')
  const scopes = requested === null ? [...app.scopes] : scopesOf(requested)
  if (scopes.some((s) => !app.scopes.includes(s))) {
    // e.g. refresh_token asked of an app that lacks it (forcedotcom/mcp-hosted#47).
    redirect(ctx, `${ERROR_PAGE_PATH}?error=invalid_scope&error_description=the+requested+scope+is+not+allowed`)
    return
  }
  // OpenID Connect Core §3.1.2.1: nonce is carried into the id_token, max_age asks for auth_time.
  const maxAgeRaw = q.get('max_age')
  const maxAge = maxAgeRaw !== null && /^\d{1,9}$/.test(maxAgeRaw) ? Number(maxAgeRaw) : undefined
  const pending: PendingAuthorization = {
    clientId,
    redirectUri,
    state,
    scope: scopes.join(' '),
    codeChallenge: challenge,
    codeChallengeMethod: method,
    prompt: scopesOf(q.get('prompt') ?? ''),
    nonce: q.get('nonce') ?? undefined,
    maxAge,
    responseType,
  }
  const source = randomBytes(18).toString('base64url')
  em.state.pending.set(source, pending)
  const consentUrl = `${CONSENT_PATH}?source=${source}`
  const username = em.state.sessions.get(ctx.cookies.sid ?? '')
  if (q.get('immediate') === 'true' && (username === undefined || needsConsent(em, pending, username))) {
    em.state.pending.delete(source)
    back('immediate_unsuccessful', 'Immediate unsuccessful')
    return
  }
  // A session older than max_age must log in again (OpenID Connect Core §3.1.2.1).
  const loggedInAt = em.state.sessions.setAt(ctx.cookies.sid ?? '')
  const tooOld = maxAge !== undefined && loggedInAt !== undefined && em.clock.now() - loggedInAt > maxAge * 1000
  if (username === undefined || pending.prompt.includes('login') || tooOld) {
    // login_hint pre-fills the username field (authorize parameters table); `un` is the login page's own field for it.
    const hint = q.get('login_hint')
    const display = q.get('display')
    const extra = `${hint === null ? '' : `&un=${encodeURIComponent(hint)}`}${display !== null && DISPLAYS.includes(display) ? `&display=${display}` : ''}`
    redirect(ctx, `/?ec=302&startURL=${encodeURIComponent(consentUrl)}${extra}`)
    return
  }
  redirect(ctx, consentUrl)
}

/** After login: consent, unless the app is pre-authorized or this user approved these scopes before. */
export function needsConsent(em: Emulator, p: PendingAuthorization, username: string): boolean {
  const registered = em.state.apps.get(p.clientId)
  const app = registered && effectiveApp(em, registered)
  // prompt=consent asks for approval again; prompt=select_account with a session shows the approval page
  // without a login (Salesforce's authorize parameters: "If zero or one hint is available and the user is
  // logged in, show the approval page without prompting for login").
  if (!app || p.prompt.includes('consent') || p.prompt.includes('select_account')) return true
  if (app.preAuthorized) return false
  const approved = em.state.approvals.get(`${username} ${p.clientId}`)
  return approved === undefined || !scopesOf(p.scope).every((s) => scopesOf(approved).includes(s))
}

export { allowsRefresh }
