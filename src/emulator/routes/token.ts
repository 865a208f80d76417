/**
 * POST /services/oauth2/token: authorization_code and refresh_token grants (docs/salesforce-oauth.md §2, §3, §4).
 * Errors are Salesforce's JSON bodies with status 400 (§2.3).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { allowsRefresh, type Emulator, type Route } from '../context.js'
import { appliesTo, type Behaviour } from '../behaviour.js'
import { MAINTENANCE } from '../faults.js'
import { clientCredentials, html, type Ctx } from '../http-util.js'
import { negotiate, refuse, respond, useFormat } from '../formats.js'
import type { ConnectedApp } from '../seed.js'
import { newAccessToken, newRefreshToken } from '../state.js'
import { signIdToken } from '../keys.js'

const VERIFIER_RE = /^[A-Za-z0-9._-]{43,171}$/

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Authenticate the client; answers the error and returns undefined when it fails. */
function client(ctx: Ctx, em: Emulator, form: URLSearchParams): ConnectedApp | undefined {
  const { clientId, clientSecret } = clientCredentials(ctx, form)
  const app = em.state.apps.get(clientId ?? '')
  if (!app) {
    refuse(ctx, 'invalid_client_id', 'client identifier invalid')
    return undefined
  }
  // A secret that is sent is always checked; a missing one only when the app requires it (§2.1).
  if ((clientSecret !== undefined || app.requireSecret) && !safeEqual(clientSecret ?? '', app.clientSecret)) {
    refuse(ctx, 'invalid_client', 'invalid client credentials')
    return undefined
  }
  return app
}

/** The success body, keys in Salesforce's order, every value a string, no expires_in (§2.2). */
function tokenBody(ctx: Ctx, em: Emulator, app: ConnectedApp, grant: Grant, username: string, scope: string, refreshToken: string | undefined, accessToken: string, oidc: { nonce?: string | undefined; authTime?: number | undefined } = {}): Record<string, string | number> {
  const user = em.state.users.get(username)
  const id = `${ctx.base}/id/${user?.orgId ?? ''}/${user?.userId ?? ''}`
  const issuedAt = String(em.clock.now())
  const signature = createHmac('sha256', app.clientSecret).update(id + issuedAt).digest('base64')
  const body: Record<string, string> = { access_token: accessToken }
  if (refreshToken !== undefined) body.refresh_token = refreshToken
  body.signature = signature
  body.scope = scope
  // The nonce and auth_time come from the authorize request, so only the code exchange has them; the
  // refresh grant's id_token carries neither (OpenID Connect Core §12.2 lets a refreshed id_token omit
  // nonce; what Salesforce sends there is UNVERIFIED).
  if (scope.split(' ').includes('openid')) body.id_token = signIdToken({ issuer: ctx.base, audience: app.clientId, subject: id, accessToken, nowMs: em.clock.now(), nonce: oidc.nonce, authTime: oidc.authTime, fault: em.behaviour().idToken })
  for (const v of Object.values(body)) if (v !== scope && v !== body.signature) em.secret(v)
  body.instance_url = ctx.base
  body.id = id
  body.token_type = 'Bearer'
  body.issued_at = issuedAt
  return misbehave(em.behaviour(), grant, body)
}

type Grant = 'authorization_code' | 'refresh_token'

/** The misbehaviour switches that alter a good answer (behaviour.ts); Salesforce never does these. */
function misbehave(b: Behaviour, grant: Grant, body: Record<string, string>): Record<string, string | number> {
  const out: Record<string, string | number> = { ...body }
  if (appliesTo(b.tamperSignature, grant) && body.signature !== undefined) {
    // Still 44 base64 characters, so only verifying it can tell.
    const bytes = Buffer.from(body.signature, 'base64')
    bytes[0] = (bytes[0] ?? 0) ^ 0xff
    out.signature = bytes.toString('base64')
  }
  if (appliesTo(b.dropInstanceUrl, grant)) delete out.instance_url
  // RFC 6749 §5.1's number of seconds; Salesforce sends no expires_in at all.
  if (appliesTo(b.sendExpiresIn, grant)) out.expires_in = 7200
  return out
}

function authorizationCode(ctx: Ctx, em: Emulator, form: URLSearchParams): void {
  const app = client(ctx, em, form)
  if (!app) return
  const code = form.get('code') ?? ''
  const issued = em.state.codes.get(code)
  // Single use: a used code is gone, and answers like an expired one (omniphx/forrest#169).
  if (issued) em.state.end(code, 'code', issued.username, 'used')
  em.state.codes.delete(code)
  if (!issued || issued.expiresAt <= em.clock.now()) {
    refuse(ctx, 'invalid_grant', 'expired authorization code')
    return
  }
  // Another app's code, or a code from the other host (sandbox vs production): docs/salesforce-oauth.md §2.3, §8.5.
  if (issued.clientId !== app.clientId || issued.host !== ctx.base) {
    refuse(ctx, 'invalid_grant', 'authentication failure')
    return
  }
  if (form.get('redirect_uri') !== issued.redirectUri) {
    refuse(ctx, 'redirect_uri_mismatch', 'redirect_uri must match configuration')
    return
  }
  if (issued.codeChallenge !== undefined) {
    // Observed answer for a missing or wrong verifier is invalid_grant "invalid code verifier"
    // (cognizant-ai-lab/nsflow#249); the docs say invalid_request (docs/salesforce-oauth.md §2.5, DISAGREE: observed wins).
    const verifier = form.get('code_verifier') ?? ''
    const computed = issued.codeChallengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url')
    if (!VERIFIER_RE.test(verifier) || !safeEqual(computed, issued.codeChallenge)) {
      refuse(ctx, 'invalid_grant', 'invalid code verifier')
      return
    }
  }
  const user = em.state.users.get(issued.username)
  const now = em.clock.now()
  const refreshToken = allowsRefresh(issued.scope) ? newRefreshToken() : undefined
  if (refreshToken !== undefined) {
    em.state.refreshTokens.set(refreshToken, { clientId: app.clientId, username: issued.username, scope: issued.scope, issuedAt: now, lastUsedAt: now })
    // "Each connected app allows five unique approvals per user. After a fifth approval is made, the
    // oldest approval is revoked" (Salesforce Help, Manage OAuth-Enabled Connected Apps Access; docs/salesforce-oauth.md §3.4).
    const mine = [...em.state.refreshTokens].filter(([, r]) => r.clientId === app.clientId && r.username === issued.username).sort((a, b) => a[1].issuedAt - b[1].issuedAt)
    for (const [oldest] of mine.slice(0, Math.max(0, mine.length - em.behaviour().maxApprovals))) em.state.revokeRefreshToken(oldest)
  }
  const accessToken = newAccessToken(user?.orgId ?? '00D000000000000')
  em.state.accessTokens.set(accessToken, { clientId: app.clientId, username: issued.username, scope: issued.scope, issuedAt: now, refreshToken })
  respond(ctx, 200, tokenBody(ctx, em, app, 'authorization_code', issued.username, issued.scope, refreshToken, accessToken, { nonce: issued.nonce, authTime: issued.authTime }))
}

function refresh(ctx: Ctx, em: Emulator, form: URLSearchParams): void {
  const unavailable = em.behaviour().refreshUnavailable
  if (unavailable !== 'never') {
    // Misbehaviour: refused before anything is processed, so a client that sent it again would succeed.
    if (unavailable === 'once') em.configure({ refreshUnavailable: 'never' })
    html(ctx, 503, MAINTENANCE, { 'retry-after': '1' })
    return
  }
  const app = client(ctx, em, form)
  if (!app) return
  const old = form.get('refresh_token') ?? ''
  const reused = em.state.retired.get(old)
  if (reused !== undefined) {
    // Reuse of a rotated-out token "results in the immediate revocation of the current refresh token and
    // all associated access tokens" (SF KB 005316711, docs/salesforce-oauth.md §3.3).
    const family = reused.family ?? old
    for (const [t, r] of em.state.refreshTokens) if ((r.family ?? t) === family) em.state.revokeRefreshToken(t)
    refuse(ctx, 'invalid_grant', 'expired access/refresh token')
    return
  }
  const record = em.state.refreshTokens.get(old)
  const idle = em.behaviour().refreshIdleMs
  if (record && idle > 0 && em.clock.now() - record.lastUsedAt > idle) em.state.revokeRefreshToken(old, 'expired')
  if (!record || record.clientId !== app.clientId || !em.state.refreshTokens.has(old)) {
    refuse(ctx, 'invalid_grant', 'expired access/refresh token')
    return
  }
  const user = em.state.users.get(record.username)
  let current = old
  let returned: string | undefined
  if (app.refreshTokenRotation || em.behaviour().rotation) {
    // Rotation: a new refresh token each time; the old one dies (docs/salesforce-oauth.md §3.3).
    em.state.refreshTokens.delete(old)
    em.state.retired.set(old, record)
    current = newRefreshToken()
    returned = current
    em.state.refreshTokens.set(current, { ...record, lastUsedAt: em.clock.now(), family: record.family ?? old })
  } else {
    em.state.refreshTokens.set(old, { ...record, lastUsedAt: em.clock.now() })
  }
  const accessToken = newAccessToken(user?.orgId ?? '00D000000000000')
  em.state.accessTokens.set(accessToken, { clientId: app.clientId, username: record.username, scope: record.scope, issuedAt: em.clock.now(), refreshToken: current })
  respond(ctx, 200, tokenBody(ctx, em, app, 'refresh_token', record.username, record.scope, returned, accessToken))
}

export const token: Route = async (ctx, em) => {
  // Only form bodies: anything else is what Salesforce sees when a body is lost (docs/salesforce-oauth.md §2.3, §8.6).
  const type = ctx.req.headers['content-type'] ?? ''
  const body = await ctx.body()
  const formBody = /^application\/x-www-form-urlencoded\b/i.test(type)
  // The answer's format: the `format` parameter, else Accept (formats.ts); errors too.
  useFormat(ctx, negotiate(formBody ? new URLSearchParams(body).get('format') : ctx.url.searchParams.get('format'), ctx.req.headers.accept), 'OAuth')
  if (!formBody) {
    refuse(ctx, 'unsupported_grant_type', 'grant type not supported')
    return
  }
  const form = new URLSearchParams(body)
  for (const k of ['client_secret', 'code', 'code_verifier', 'refresh_token']) em.secret(form.get(k))
  em.secret(clientCredentials(ctx, form).clientSecret)
  const grant = form.get('grant_type')
  if (grant === 'authorization_code') authorizationCode(ctx, em, form)
  else if (grant === 'refresh_token') refresh(ctx, em, form)
  else refuse(ctx, 'unsupported_grant_type', 'grant type not supported')
}
