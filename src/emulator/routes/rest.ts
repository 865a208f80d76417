/**
 * The few REST API resources Salesforce's own tools read right after a login (@salesforce/core's
 * AuthInfo and Connection, the sf CLI's auth layer): the version list, a version's resource map (with
 * `identity`), the user's User record, and `query` of Organization and User. Anything else is refused as
 * Salesforce refuses it. Shapes: REST API Developer Guide ("Versions", "Resources by Version",
 * "sObject Rows", "Query", "Status Codes and Error Responses").
 *
 * The Bearer token is checked as userinfo checks it, but a dead one is a 401 INVALID_SESSION_ID, the
 * answer on which jsforce (under @salesforce/core) refreshes and retries (docs/salesforce-oauth.md §8.15).
 */
import { API_VERSIONS, releaseLabel } from '../api.js'
import type { Emulator, Route } from '../context.js'
import { bearer, json, send, type Ctx } from '../http-util.js'
import type { EmulatorUser } from '../seed.js'

/** /services/data, /services/data/vNN.N[/…] */
export const REST_PATH = /^\/services\/data(?:\/v(\d{2,3}\.\d)(\/.*)?)?\/?$/

function errors(ctx: Ctx, status: number, errorCode: string, message: string): void {
  send(ctx, status, { 'content-type': 'application/json;charset=UTF-8' }, JSON.stringify([{ message, errorCode }]))
}

function session(ctx: Ctx, em: Emulator): EmulatorUser | undefined {
  const token = bearer(ctx)
  const rec = token === undefined ? undefined : em.state.useAccessToken(token)
  const user = rec === undefined ? undefined : em.state.users.get(rec.username)
  if (user === undefined) errors(ctx, 401, 'INVALID_SESSION_ID', 'Session expired or invalid')
  return user
}

/** The seeded org's Organization record (a Developer Edition production org; not a Dev Hub). */
function organization(user: EmulatorUser): Record<string, unknown> {
  return { Id: user.orgId, Name: 'sf-oauth-harness Emulator Org', InstanceName: 'EMU1', IsSandbox: false, TrialExpirationDate: null, NamespacePrefix: null, OrganizationType: 'Developer Edition' }
}

function userRecord(user: EmulatorUser): Record<string, unknown> {
  return { Id: user.userId, Username: user.username, FirstName: user.firstName, LastName: user.lastName, Name: `${user.firstName} ${user.lastName}`, Email: user.email, IsActive: user.active, ProfileId: '00e5g00000FAKEDAAA' }
}

const OBJECTS: Readonly<Record<string, (u: EmulatorUser) => Record<string, unknown>[]>> = {
  Organization: (u) => [organization(u)],
  User: (u) => [userRecord(u)],
}

function withAttributes(type: string, v: string, rec: Record<string, unknown>): Record<string, unknown> {
  return { attributes: { type, url: `/services/data/v${v}/sobjects/${type}/${String(rec.Id)}` }, ...rec }
}

function invalidType(soql: string, type: string): string {
  return `\n${soql}\n${' '.repeat(Math.max(0, soql.indexOf(type)))}^\nERROR at Row:1:Column:${soql.indexOf(type) + 1}\nsObject type '${type}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`
}

/** `SELECT a, b FROM Object [WHERE Id = '…'] [LIMIT n]`: enough for the tools' own queries. */
function query(ctx: Ctx, v: string, user: EmulatorUser): void {
  const soql = (ctx.url.searchParams.get('q') ?? '').trim()
  const m = /^select\s+(.+?)\s+from\s+(\w+)(?:\s+where\s+(\w+)\s*=\s*'([^']*)')?(?:\s+limit\s+\d+)?$/i.exec(soql)
  if (!m?.[1] || !m[2]) {
    errors(ctx, 400, 'MALFORMED_QUERY', `unexpected token: '${soql.split(/\s+/)[0] ?? ''}'`)
    return
  }
  const type = Object.keys(OBJECTS).find((k) => k.toLowerCase() === m[2]?.toLowerCase())
  if (type === undefined) {
    errors(ctx, 400, 'INVALID_TYPE', invalidType(soql, m[2]))
    return
  }
  const fields = m[1].split(',').map((f) => f.trim())
  const all = OBJECTS[type]?.(user) ?? []
  const unknown = fields.find((f) => all[0] !== undefined && !Object.keys(all[0]).some((k) => k.toLowerCase() === f.toLowerCase()))
  if (unknown !== undefined) {
    errors(ctx, 400, 'INVALID_FIELD', `\n${soql}\n^\nERROR at Row:1:Column:8\nNo such column '${unknown}' on entity '${type}'.`)
    return
  }
  const rows = all.filter((r) => m[3] === undefined || String(Object.entries(r).find(([k]) => k.toLowerCase() === m[3]?.toLowerCase())?.[1]) === m[4])
  const records = rows.map((r) => withAttributes(type, v, Object.fromEntries(fields.map((f) => Object.entries(r).find(([k]) => k.toLowerCase() === f.toLowerCase()) ?? [f, null]))))
  json(ctx, 200, { totalSize: records.length, done: true, records })
}

export const rest: Route = (ctx, em) => {
  const m = REST_PATH.exec(ctx.url.pathname)
  const v = m?.[1]
  // The version list needs no session (REST API Developer Guide, "Versions").
  if (v === undefined) {
    json(ctx, 200, API_VERSIONS.map((version) => ({ label: releaseLabel(version), url: `/services/data/v${version}`, version })))
    return
  }
  if (!API_VERSIONS.includes(v)) {
    errors(ctx, 404, 'NOT_FOUND', 'The requested resource does not exist')
    return
  }
  const user = session(ctx, em)
  if (user === undefined) return
  const rest = (m?.[2] ?? '').replace(/\/$/, '')
  const base = `/services/data/v${v}`
  if (rest === '') {
    json(ctx, 200, { tooling: `${base}/tooling`, metadata: `${base}/metadata`, eclair: `${base}/eclair`, folders: `${base}/folders`, prechatForms: `${base}/prechatForms`, contact: `${base}/contact`, jsonxform: `${base}/jsonxform`, chatter: `${base}/chatter`, tabs: `${base}/tabs`, appMenu: `${base}/appMenu`, quickActions: `${base}/quickActions`, queryAll: `${base}/queryAll`, commerce: `${base}/commerce`, wave: `${base}/wave`, analytics: `${base}/analytics`, search: `${base}/search`, identity: `${ctx.base}/id/${user.orgId}/${user.userId}`, composite: `${base}/composite`, parameterizedSearch: `${base}/parameterizedSearch`, theme: `${base}/theme`, nouns: `${base}/nouns`, recent: `${base}/recent`, licensing: `${base}/licensing`, limits: `${base}/limits`, process: `${base}/process`, async: `${base}/async-queries`, query: `${base}/query`, sobjects: `${base}/sobjects`, actions: `${base}/actions`, support: `${base}/support` })
    return
  }
  if (rest === '/query') { query(ctx, v, user); return; }
  const row = /^\/sobjects\/(\w+)\/(\w{15,18})$/.exec(rest)
  if (row?.[1] !== undefined) {
    const type = Object.keys(OBJECTS).find((k) => k.toLowerCase() === row[1]?.toLowerCase())
    if (type === undefined) {
      errors(ctx, 404, 'NOT_FOUND', `The requested resource does not exist`)
      return
    }
    const rec = OBJECTS[type]?.(user).find((r) => r.Id === row[2] || String(r.Id).slice(0, 15) === row[2])
    if (rec === undefined) {
      errors(ctx, 404, 'NOT_FOUND', 'Provided external ID field does not exist or is not accessible: ' + (row[2] ?? ''))
      return
    }
    const fields = ctx.url.searchParams.get('fields')?.split(',').map((f) => f.trim())
    json(ctx, 200, withAttributes(type, v, fields === undefined ? rec : Object.fromEntries(Object.entries(rec).filter(([k]) => fields.some((f) => f.toLowerCase() === k.toLowerCase())))))
    return
  }
  errors(ctx, 404, 'NOT_FOUND', 'The requested resource does not exist')
}
