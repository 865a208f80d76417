/**
 * The user-agent flow (`response_type=token`): the answer travels in the redirect URI's fragment, not its
 * query, so it never reaches a server (Salesforce Help, "OAuth 2.0 User-Agent Flow for Desktop or Mobile
 * App Integration", remoteaccess_oauth_user_agent_flow; RFC 6749 §4.2.2). Errors go in the fragment too
 * (RFC 6749 §4.2.2.1). Salesforce adds a refresh token only for its own success page or a custom-scheme
 * redirect URI; the emulator's apps register http URIs, so it issues none here.
 */
import { createHmac, randomBytes } from 'node:crypto'
import type { Emulator } from '../context.js'
import { redirect, type Ctx } from '../http-util.js'
import type { PendingAuthorization } from '../state.js'
import { newAccessToken } from '../state.js'

/** `uri#k=v&…`, with the same misbehaviour switches as callbackLocation (forged state, other URI). */
export function fragmentLocation(em: Emulator, redirectUri: string, params: Record<string, string | undefined>): string {
  const b = em.behaviour()
  const state = b.callbackState === 'forged' ? `forged-${randomBytes(12).toString('base64url')}` : params.state
  const parts = Object.entries({ ...params, state }).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${encodeURIComponent(v)}`]))
  return `${(b.callbackUri ?? redirectUri).split('#')[0] ?? ''}#${parts.join('&')}`
}

/** After login and consent: a fresh access token in the fragment, fields in the token endpoint's order. */
export function userAgentAnswer(ctx: Ctx, em: Emulator, p: PendingAuthorization, username: string): void {
  const user = em.state.users.get(username)
  const app = em.state.apps.get(p.clientId)
  const now = em.clock.now()
  const accessToken = newAccessToken(user?.orgId ?? '00D000000000000')
  em.state.accessTokens.set(accessToken, { clientId: p.clientId, username, scope: p.scope, issuedAt: now, refreshToken: undefined })
  em.secret(accessToken)
  const id = `${ctx.base}/id/${user?.orgId ?? ''}/${user?.userId ?? ''}`
  const issuedAt = String(now)
  const signature = createHmac('sha256', app?.clientSecret ?? '').update(id + issuedAt).digest('base64')
  redirect(ctx, fragmentLocation(em, p.redirectUri, { access_token: accessToken, signature, scope: p.scope, instance_url: ctx.base, id, token_type: 'Bearer', issued_at: issuedAt, state: p.state }))
}
