/**
 * GET /services/oauth2/userinfo and the identity URL /id/<org>/<user> (docs/salesforce-oauth.md §5.3, §5.4).
 * A token they refuse gets 403 and one word of plain text.
 */
import type { Emulator, Route } from '../context.js'
import { bearer, json, send, type Ctx } from '../http-util.js'
import type { EmulatorUser } from '../seed.js'

function authorized(ctx: Ctx, em: Emulator): EmulatorUser | undefined {
  const token = bearer(ctx)
  if (token === undefined) {
    send(ctx, 403, { 'content-type': 'text/plain;charset=UTF-8' }, 'Missing_OAuth_Token')
    return undefined
  }
  // Unknown, revoked and expired (unused for the session timeout) look alike; a use renews the session.
  const rec = em.state.useAccessToken(token)
  const user = rec ? em.state.users.get(rec.username) : undefined
  if (!user) send(ctx, 403, { 'content-type': 'text/plain;charset=UTF-8' }, 'Bad_OAuth_Token')
  return user
}

function urls(base: string, orgId: string, userId: string): Record<string, string> {
  const o15 = orgId.slice(0, 15)
  return {
    enterprise: `${base}/services/Soap/c/{version}/${o15}`,
    metadata: `${base}/services/Soap/m/{version}/${o15}`,
    partner: `${base}/services/Soap/u/{version}/${o15}`,
    rest: `${base}/services/data/v{version}/`,
    sobjects: `${base}/services/data/v{version}/sobjects/`,
    search: `${base}/services/data/v{version}/search/`,
    query: `${base}/services/data/v{version}/query/`,
    profile: `${base}/${userId}`,
    custom_domain: base,
  }
}

export const userinfo: Route = (ctx, em) => {
  const user = authorized(ctx, em)
  if (!user) return
  // Misbehaviour `userinfoSub: 'other'`: another user of the org in sub, so a client must compare it.
  const subUser = em.behaviour().userinfoSub === 'other' ? '005000000000000AAA' : user.userId
  json(ctx, 200, {
    sub: `${ctx.base}/id/${user.orgId}/${subUser}`,
    user_id: user.userId,
    organization_id: user.orgId,
    preferred_username: user.username,
    nickname: user.username.split('@')[0],
    name: `${user.firstName} ${user.lastName}`,
    email: user.email,
    email_verified: true,
    given_name: user.firstName,
    family_name: user.lastName,
    zoneinfo: 'America/Los_Angeles',
    profile: `${ctx.base}/${user.userId}`,
    is_salesforce_integration_user: false,
    active: user.active,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    urls: urls(ctx.base, user.orgId, user.userId),
  })
}

export const identity: Route = (ctx, em) => {
  const user = authorized(ctx, em)
  if (!user) return
  const [, , orgId, userId] = ctx.url.pathname.split('/')
  if (orgId !== user.orgId || userId !== user.userId) {
    send(ctx, 403, { 'content-type': 'text/plain;charset=UTF-8' }, 'Bad_Id')
    return
  }
  json(ctx, 200, {
    id: `${ctx.base}/id/${user.orgId}/${user.userId}`,
    asserted_user: true,
    user_id: user.userId,
    organization_id: user.orgId,
    username: user.username,
    nick_name: user.username.split('@')[0],
    display_name: `${user.firstName} ${user.lastName}`,
    email: user.email,
    email_verified: true,
    first_name: user.firstName,
    last_name: user.lastName,
    timezone: 'America/Los_Angeles',
    active: user.active,
    user_type: 'STANDARD',
    language: 'en_US',
    locale: 'en_US',
    utcOffset: -28800000,
    urls: urls(ctx.base, user.orgId, user.userId),
    is_app_installed: true,
  })
}
