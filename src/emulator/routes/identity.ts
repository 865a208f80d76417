/**
 * GET /services/oauth2/userinfo and the identity URL /id/<org>/<user> (docs/salesforce-oauth.md §5.3, §5.4).
 * The access token comes as `Authorization: Bearer` or the `oauth_token` parameter; the answer is JSON,
 * XML or form-urlencoded by `format` or Accept (formats.ts). The identity URL's `version` (a number or
 * `latest`) fills the `{version}` placeholders of `urls`; without it they stay literal (Mobile SDK
 * Developer Guide, "Using Identity URLs"). A refused request gets a status and one word of plain text.
 */
import { LATEST_API_VERSION } from '../api.js'
import type { Emulator, Route } from '../context.js'
import { negotiate, respond, useFormat } from '../formats.js'
import { bearer, send, type Ctx } from '../http-util.js'
import type { EmulatorUser } from '../seed.js'

function plain(ctx: Ctx, status: number, word: string): void {
  send(ctx, status, { 'content-type': 'text/plain;charset=UTF-8' }, word)
}

function authorized(ctx: Ctx, em: Emulator): EmulatorUser | undefined {
  const token = bearer(ctx)
  if (token === undefined) {
    plain(ctx, 403, 'Missing_OAuth_Token')
    return undefined
  }
  // Unknown, revoked and expired (unused for the session timeout) look alike; a use renews the session.
  const rec = em.state.useAccessToken(token)
  const user = rec ? em.state.users.get(rec.username) : undefined
  if (!user) plain(ctx, 403, 'Bad_OAuth_Token')
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

/** `version`: absent keeps `{version}`; a number like 58.0 or `latest` fills it in; anything else is undefined (refused). */
function versioned(ctx: Ctx, u: Record<string, string>): Record<string, string> | undefined {
  const v = ctx.url.searchParams.get('version')
  if (v === null) return u
  const number = v === 'latest' ? LATEST_API_VERSION : /^\d{1,3}(?:\.\d)?$/.test(v) ? (v.includes('.') ? v : `${v}.0`) : undefined
  if (number === undefined) return undefined
  return Object.fromEntries(Object.entries(u).map(([k, x]) => [k, x.replaceAll('{version}', number)]))
}

/** Answer in the asked format; XML under <user> (UNVERIFIED for userinfo, which documents the same parameters). */
function answer(ctx: Ctx, value: Record<string, unknown>): void {
  useFormat(ctx, negotiate(ctx.url.searchParams.get('format'), ctx.req.headers.accept), 'user')
  respond(ctx, 200, value)
}

export const userinfo: Route = (ctx, em) => {
  const user = authorized(ctx, em)
  if (!user) return
  const u = versioned(ctx, urls(ctx.base, user.orgId, user.userId))
  if (u === undefined) { plain(ctx, 406, 'Invalid_Version'); return; }
  // Misbehaviour `userinfoSub: 'other'`: another user of the org in sub, so a client must compare it.
  const subUser = em.behaviour().userinfoSub === 'other' ? '005000000000000AAA' : user.userId
  answer(ctx, {
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
    urls: u,
  })
}

export const identity: Route = (ctx, em) => {
  const user = authorized(ctx, em)
  if (!user) return
  const [, , orgId, userId] = ctx.url.pathname.split('/')
  // Another org's identity URL is Wrong_Org; another user of this org Bad_Id (the doc's 404 list is
  // UNVERIFIED against a live org; the emulator has one user per org, and no cross-user "api" access).
  if (orgId !== user.orgId) { plain(ctx, 403, 'Wrong_Org'); return; }
  if (userId !== user.userId) { plain(ctx, 403, 'Bad_Id'); return; }
  const u = versioned(ctx, urls(ctx.base, user.orgId, user.userId))
  if (u === undefined) { plain(ctx, 406, 'Invalid_Version'); return; }
  answer(ctx, {
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
    urls: u,
    is_app_installed: true,
  })
}
