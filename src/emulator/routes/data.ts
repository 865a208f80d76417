/**
 * GET /services/data/vNN.N/: the REST API's resource list, the one data resource the emulator has, so a
 * client can see what Salesforce does with a dead session. A token that is unknown, revoked or expired
 * (unused for the session timeout) gets 401 with INVALID_SESSION_ID, where the identity service answers
 * 403 Bad_OAuth_Token (docs/salesforce-oauth.md §5.3, §8.15; REST API Developer Guide, "Status Codes and Error
 * Responses": 401 "the session ID or OAuth token used has expired or is invalid").
 */
import type { Route } from '../context.js'
import { bearer, json, send } from '../http-util.js'

export const DATA_API_PATH = /^\/services\/data\/v\d{2,3}\.\d\/?$/

export const dataApi: Route = (ctx, em) => {
  const token = bearer(ctx)
  if (token === undefined || em.state.useAccessToken(token) === undefined) {
    send(ctx, 401, { 'content-type': 'application/json;charset=UTF-8' }, JSON.stringify([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]))
    return
  }
  const v = ctx.url.pathname.replace(/\/$/, '')
  json(ctx, 200, { sobjects: `${v}/sobjects`, query: `${v}/query`, search: `${v}/search`, limits: `${v}/limits` })
}
