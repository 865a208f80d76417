/** /services/oauth2/revoke: POST form or GET `?token=` (docs/salesforce-oauth.md §5.1). */
import type { Route } from '../context.js'
import { oauthError, send } from '../http-util.js'

export const revoke: Route = async (ctx, em) => {
  const token = ctx.req.method === 'GET' ? ctx.url.searchParams.get('token') : new URLSearchParams(await ctx.body()).get('token')
  const { accessTokens, refreshTokens } = em.state
  if (token !== null && refreshTokens.has(token)) {
    // A refresh token takes its access tokens with it.
    em.state.revokeRefreshToken(token)
  } else if (token !== null && accessTokens.setAt(token) !== undefined) {
    // Known, even when past its time and not yet swept (as before): revoked.
    const username = accessTokens.has(token) ? accessTokens.get(token)?.username ?? '' : ''
    if (username !== '') em.state.end(token, 'access', username, 'revoked')
    accessTokens.delete(token)
  } else {
    oauthError(ctx, 'invalid_token', 'Token was invalid')
    return
  }
  send(ctx, 200, { 'cache-control': 'no-cache, no-store' })
}
