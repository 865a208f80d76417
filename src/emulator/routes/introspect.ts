/** POST /services/oauth2/introspect (docs/salesforce-oauth.md §5.2; RFC 7662). */
import { createHash } from 'node:crypto'
import type { Route } from '../context.js'
import { clientCredentials, json, oauthError } from '../http-util.js'

export const introspect: Route = async (ctx, em) => {
  const form = new URLSearchParams(await ctx.body())
  const { clientId, clientSecret } = clientCredentials(ctx, form)
  const app = em.state.apps.get(clientId ?? '')
  if (!app || createHash('sha256').update(clientSecret ?? '').digest('hex') !== createHash('sha256').update(app.clientSecret).digest('hex')) {
    oauthError(ctx, 'invalid_client', 'invalid client credentials', 401)
    return
  }
  const token = form.get('token') ?? ''
  const access = em.state.accessTokens.get(token)
  const refresh = em.state.refreshTokens.get(token)
  const rec = access ?? refresh
  if (!rec || rec.clientId !== app.clientId) {
    json(ctx, 200, { active: false })
    return
  }
  const user = em.state.users.get(rec.username)
  const iat = Math.floor(rec.issuedAt / 1000)
  // An access token lives until unused for the session timeout (a dead one is already inactive above).
  const exp = access ? Math.floor(((em.state.accessTokens.setAt(token) ?? rec.issuedAt) + em.behaviour().sessionTimeoutMs) / 1000) : iat + 2 * 3600
  json(ctx, 200, {
    active: true,
    scope: rec.scope,
    client_id: rec.clientId,
    username: rec.username,
    sub: `${ctx.base}/id/${user?.orgId ?? ''}/${user?.userId ?? ''}`,
    token_type: access ? 'access_token' : 'refresh_token',
    exp,
    iat,
    nbf: iat,
  })
}
