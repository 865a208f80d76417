/** /services/oauth2/revoke: POST form or GET `?token=` (docs/salesforce-oauth.md §5.1). */
import type { Route } from '../context.js'
import { oauthError, send } from '../http-util.js'

export const revoke: Route = async (ctx, em) => {
  const token = ctx.req.method === 'GET' ? ctx.url.searchParams.get('token') : new URLSearchParams(await ctx.body()).get('token')
  const { accessTokens, refreshTokens } = em.state
  if (token !== null && refreshTokens.delete(token)) {
    // A refresh token takes its access tokens with it.
    for (const [at, rec] of accessTokens) if (rec.refreshToken === token) accessTokens.delete(at)
  } else if (token === null || !accessTokens.delete(token)) {
    oauthError(ctx, 'invalid_token', 'Token was invalid')
    return
  }
  send(ctx, 200, { 'cache-control': 'no-cache, no-store' })
}
