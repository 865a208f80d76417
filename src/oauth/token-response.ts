/**
 * Validates a token endpoint answer field by field, in one order: status and OAuth error body, then
 * content type, JSON, required fields, Salesforce specifics (docs/salesforce-oauth.md §2.2, §3.3, §4).
 */
import { ACCESS_TOKEN, ORG_ID, USER_ID } from '../credentials/shapes.js'
import { ResponseValidationError, TokenEndpointError } from '../errors.js'
import { checkLoginUrl, instanceUrlWarning } from './hosts.js'
import { Redactor, redactor } from '../redact.js'
import { tokenErrorMeaning } from './error-codes.js'
import { verifySignature } from './signature.js'
import type { Check, RawResponse, SecretSink, TokenSet } from './types.js'
import { formatOfContentType, parseFlatXml, parseForm, parseTokenBody, type TokenFormat } from './token-formats.js'

export interface TokenExpectations {
  /** Needed to verify `signature`; a public client (no secret) cannot verify it. */
  readonly clientSecret: string | undefined
  /** The authorization_code grant with a refresh scope must return a refresh token. */
  readonly expectRefreshToken: boolean
  /** The grant, for messages. */
  readonly grant: 'authorization_code' | 'refresh_token'
  /** Local clock, epoch ms, to judge `issued_at`. */
  readonly now?: number
  /** The format asked for with `format=` (SF_TOKEN_FORMAT); default json. */
  readonly format?: TokenFormat
}

/** A validated token answer: the token set and the checks it passed. */
export interface ProcessedTokens {
  readonly tokens: TokenSet
  readonly checks: readonly Check[]
}

const ID_URL_RE = new RegExp(`^/id/(${ORG_ID.source})/(${USER_ID.source})$`)
const MAX_EVIDENCE = 300

/**
 * Masked, shortened body for error causes: the secrets this answer was seen to hold (`seen`), then
 * everything the process-wide redactor knows or recognises (read only).
 */
export function evidence(res: RawResponse, seen?: Redactor): { status: number; contentType: string | undefined; body: string } {
  const short = res.body.length > MAX_EVIDENCE ? `${res.body.slice(0, MAX_EVIDENCE)}…(${res.body.length} bytes)` : res.body
  const body = redactor.text(seen === undefined ? short : seen.text(short))
  return { status: res.status, contentType: res.headers['content-type'], body }
}

/** Parse `{"error","error_description"}` from a non-2xx answer, or undefined when it is not one. */
export function parseOAuthError(res: RawResponse): { error: string; description: string | undefined } | undefined {
  // Salesforce answers errors in the format asked for, too (token-formats.ts).
  const other = formatOfContentType(res.headers['content-type'])
  if (other === 'xml' || other === 'urlencoded') {
    const fields = other === 'xml' ? parseFlatXml(res.body) : parseForm(res.body)
    return fields?.error === undefined ? undefined : { error: fields.error, description: fields.error_description }
  }
  if (!isJson(res)) return undefined
  try {
    const data: unknown = JSON.parse(res.body)
    if (isRecord(data) && typeof data.error === 'string') {
      return { error: data.error, description: typeof data.error_description === 'string' ? data.error_description : undefined }
    }
  } catch {
    return undefined
  }
  return undefined
}

/** Turn a non-200 answer into the right typed error. */
export function errorForStatus(res: RawResponse, what: string): Error {
  const oauth = parseOAuthError(res)
  if (oauth) {
    const meaning = tokenErrorMeaning(oauth.error, oauth.description)
    return new TokenEndpointError(meaning.code, `${what} refused: ${oauth.error}${oauth.description ? ` (${oauth.description})` : ''}: ${meaning.fix}`, res.status, oauth.error, oauth.description, evidence(res))
  }
  if (res.status === 503 || res.status === 502 || res.status === 500) {
    return new ResponseValidationError('SERVER_UNAVAILABLE', `${what} answered HTTP ${res.status}${isHtml(res) ? ' with an HTML page' : ''}: Salesforce is down or in maintenance; try again later (status.salesforce.com)`, { cause: evidence(res) })
  }
  if (res.status >= 300 && res.status < 400) {
    const to = res.headers.location ?? 'nowhere'
    return new ResponseValidationError('UNEXPECTED_REDIRECT', `${what} answered HTTP ${res.status} redirecting to ${redactor.text(to)}: use the https:// login URL the redirect points to as SF_LOGIN_URL`, { cause: evidence(res) })
  }
  return new ResponseValidationError('HTTP_STATUS_UNEXPECTED', `${what} answered HTTP ${res.status}${isHtml(res) ? ' with an HTML page' : ''}, not an OAuth answer: check SF_LOGIN_URL`, { cause: evidence(res) })
}

export function isJson(res: RawResponse): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(res.headers['content-type'] ?? '')
}

function isHtml(res: RawResponse): boolean {
  return /^text\/html\b/i.test(res.headers['content-type'] ?? '') || /^\s*<(!doctype|html)/i.test(res.body)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Parse a JSON object body or throw a precise error. */
export function parseJsonObject(res: RawResponse, what: string): Record<string, unknown> {
  if (res.body.trim() === '') {
    throw new ResponseValidationError('RESPONSE_EMPTY', `${what} answered HTTP ${res.status} with an empty body: expected a JSON object; check SF_LOGIN_URL and any proxy in between`, { cause: evidence(res) })
  }
  if (!isJson(res)) {
    const ct = res.headers['content-type'] ?? 'no content type'
    throw new ResponseValidationError('RESPONSE_NOT_JSON', `${what} answered ${ct}${isHtml(res) ? ' (an HTML page)' : ''}, not application/json: check SF_LOGIN_URL points at Salesforce and no proxy rewrites answers`, { cause: evidence(res) })
  }
  let data: unknown
  try {
    data = JSON.parse(res.body)
  } catch {
    throw new ResponseValidationError('RESPONSE_MALFORMED_JSON', `${what} answered malformed or truncated JSON (${res.body.length} bytes): retry; if it persists, capture it with --record`, { cause: evidence(res) })
  }
  if (!isRecord(data)) {
    throw new ResponseValidationError('RESPONSE_NOT_OBJECT', `${what} answered JSON that is not an object: expected Salesforce's token response`, { cause: evidence(res) })
  }
  return data
}

function field(data: Record<string, unknown>, name: string, res: RawResponse, what: string, seen?: Redactor): string {
  const v = data[name]
  if (v === undefined || v === null) {
    throw new ResponseValidationError('RESPONSE_FIELD_MISSING', `${what}: "${name}" is missing from the response: Salesforce always sends it; check SF_LOGIN_URL`, { cause: evidence(res, seen) })
  }
  if (typeof v !== 'string') {
    throw new ResponseValidationError('RESPONSE_FIELD_TYPE', `${what}: "${name}" is a ${Array.isArray(v) ? 'array' : typeof v}, not a string: Salesforce sends every token field as a string`, { cause: evidence(res, seen) })
  }
  if (v === '') {
    throw new ResponseValidationError('RESPONSE_FIELD_EMPTY', `${what}: "${name}" is empty: Salesforce never sends it empty`, { cause: evidence(res, seen) })
  }
  return v
}

function optionalField(data: Record<string, unknown>, name: string, res: RawResponse, what: string, seen?: Redactor): string | undefined {
  return data[name] === undefined ? undefined : field(data, name, res, what, seen)
}

/**
 * Validate a token response (authorization_code or refresh_token grant). Each token is handed to
 * `secrets` the moment it is read (before any later check can throw); nothing global is written.
 * Salesforce Help: "OAuth 2.0 Web Server Flow for Web App Integration" and "OAuth 2.0 Refresh Token Flow
 * for Renewed Sessions" (the token response); docs/salesforce-oauth.md §2.2, §3.2.
 * @see https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm
 *
 * @throws the token endpoint's refusals by their OAuth error (`TOKEN_INVALID_GRANT`, `TOKEN_CODE_EXPIRED`,
 *   `TOKEN_REFRESH_TOKEN_EXPIRED`, `TOKEN_INVALID_CLIENT_CREDENTIALS`, ..., `TOKEN_ERROR_UNKNOWN`);
 *   `RESPONSE_EMPTY`, `RESPONSE_NOT_JSON`, `RESPONSE_MALFORMED_JSON`, `RESPONSE_NOT_OBJECT`,
 *   `RESPONSE_FIELD_MISSING`, `RESPONSE_FIELD_EMPTY`, `RESPONSE_FIELD_TYPE`, `RESPONSE_FIELD_INVALID`,
 *   `TOKEN_FORMAT_MISMATCH`, `SIGNATURE_INVALID`, `REFRESH_TOKEN_MISSING` (when expected), `SERVER_UNAVAILABLE`,
 *   `UNEXPECTED_REDIRECT`, `HTTP_STATUS_UNEXPECTED`.
 */
export function processTokenResponse(res: RawResponse, expect: TokenExpectations, secrets?: SecretSink): ProcessedTokens {
  const what = expect.grant === 'authorization_code' ? 'the code exchange' : 'the refresh'
  if (res.status !== 200) throw errorForStatus(res, what)
  // The tokens of this answer, for the masking of its own evidence.
  const seen = new Redactor()
  const saw = (value: string | undefined) => {
    seen.add(value)
    secrets?.add(value)
  }
  const format = expect.format ?? 'json'
  const data: Record<string, unknown> = format === 'json' ? parseJsonObject(res, what) : parseTokenBody(res, what, format, () => evidence(res))
  const checks: Check[] = []
  const pass = (name: string, detail: string) => checks.push({ name, status: 'pass', detail })

  pass('HTTP status', '200')
  pass('content type', `${res.headers['content-type'] ?? ''}${format === 'json' ? '' : ` (format=${format})`}`)

  const accessToken = field(data, 'access_token', res, what, seen)
  saw(accessToken)
  checks.push(ACCESS_TOKEN.start.test(accessToken)
    ? { name: 'access_token', status: 'pass', detail: `session id of org ${accessToken.slice(0, 15)}` }
    : { name: 'access_token', status: 'warn', detail: 'not a 00D…! session id (JWT-based access tokens enabled?)' })

  const refreshToken = optionalField(data, 'refresh_token', res, what)
  saw(refreshToken)
  if (refreshToken === undefined && expect.expectRefreshToken) {
    throw new ResponseValidationError('REFRESH_TOKEN_MISSING', 'no refresh_token in the answer: the Connected App lacks the refresh_token/offline_access scope, or SF_SCOPE leaves it out', { cause: { fields: Object.keys(data) } })
  }
  if (refreshToken !== undefined) pass('refresh_token', 'present')
  else if (expect.grant === 'refresh_token') pass('refresh_token', 'absent (no rotation)')
  else checks.push({ name: 'refresh_token', status: 'skip', detail: 'not requested' })

  const id = field(data, 'id', res, what, seen)
  let idUrl: URL
  try {
    idUrl = new URL(id)
  } catch {
    throw new ResponseValidationError('RESPONSE_FIELD_INVALID', `${what}: "id" is not a URL: expected <login host>/id/<org id>/<user id>`, { cause: evidence(res, seen) })
  }
  const idMatch = ID_URL_RE.exec(idUrl.pathname)
  if (!idMatch?.[1] || !idMatch[2]) {
    throw new ResponseValidationError('RESPONSE_FIELD_INVALID', `${what}: "id" path is ${idUrl.pathname}, not /id/<00D org id>/<005 user id>`, { cause: evidence(res, seen) })
  }
  const orgId = idMatch[1]
  const userId = idMatch[2]
  pass('id', `identity URL for org ${orgId}, user ${userId}`)

  const instanceUrl = field(data, 'instance_url', res, what, seen)
  // The access token is sent to instance_url (userinfo, every API call): the SF_LOGIN_URL rules apply.
  const inst = checkLoginUrl(instanceUrl)
  if (!inst.ok) {
    throw new ResponseValidationError('RESPONSE_FIELD_INVALID', `${what}: "instance_url" ${inst.problem}: Salesforce instances are https:// hosts; the access token is not sent there`, { cause: evidence(res, seen) })
  }
  const foreign = instanceUrlWarning(inst)
  checks.push(foreign === undefined ? { name: 'instance_url', status: 'pass', detail: inst.url } : { name: 'instance_url', status: 'warn', detail: foreign })

  const tokenType = field(data, 'token_type', res, what, seen)
  if (tokenType !== 'Bearer') {
    throw new ResponseValidationError('RESPONSE_FIELD_INVALID', `${what}: "token_type" is "${tokenType}", not "Bearer"`, { cause: evidence(res, seen) })
  }
  pass('token_type', 'Bearer')

  // issued_at is epoch milliseconds as a string (docs/salesforce-oauth.md §2.2, issued_at DISAGREE: real values win).
  const issuedAt = field(data, 'issued_at', res, what, seen)
  if (!/^\d{13}$/.test(issuedAt)) {
    throw new ResponseValidationError('RESPONSE_FIELD_INVALID', `${what}: "issued_at" is "${issuedAt}", not 13 digits of epoch milliseconds`, { cause: evidence(res, seen) })
  }
  const skewMs = Math.abs(Number(issuedAt) - (expect.now ?? Date.now()))
  checks.push(skewMs <= 24 * 3600_000
    ? { name: 'issued_at', status: 'pass', detail: `${new Date(Number(issuedAt)).toISOString()} (epoch ms)` }
    : { name: 'issued_at', status: 'warn', detail: `${new Date(Number(issuedAt)).toISOString()} is ${Math.round(skewMs / 3600_000)} h from the local clock` })

  const scope = field(data, 'scope', res, what, seen)
  pass('scope', scope)

  const signature = field(data, 'signature', res, what, seen)
  if (!/^[A-Za-z0-9+/]{43}=$/.test(signature)) {
    throw new ResponseValidationError('SIGNATURE_INVALID', `${what}: "signature" is not a base64 HMAC-SHA256 (44 characters)`, { cause: evidence(res, seen) })
  }
  if (expect.clientSecret === undefined) {
    checks.push({ name: 'signature', status: 'skip', detail: 'no client secret to verify it with' })
  } else if (!verifySignature(expect.clientSecret, id, issuedAt, signature)) {
    throw new ResponseValidationError('SIGNATURE_INVALID', `${what}: "signature" does not verify as HMAC-SHA256(client secret, id + issued_at): the answer was altered, or SF_CLIENT_SECRET belongs to another app`, { cause: evidence(res, seen) })
  } else {
    pass('signature', 'HMAC-SHA256(client secret, id + issued_at) verifies')
  }

  const idToken = optionalField(data, 'id_token', res, what)
  saw(idToken)
  if (idToken !== undefined) pass('id_token', 'present (openid scope)')

  // Salesforce sends no expires_in: the access token lives as long as the org's session timeout (Session
  // Settings; the web server flow's response fields in Salesforce Help list none). Present, it is a WARNING,
  // not an error: RFC 6749 §5.1 allows the field and the tokens are no less valid, but the server is not
  // answering as Salesforce does (a proxy or another server), and the value says nothing about the token.
  if ('expires_in' in data) checks.push({ name: 'expires_in', status: 'warn', detail: 'present, though Salesforce never sends it: ignored (the token lives as long as the org session timeout); is SF_LOGIN_URL really Salesforce?' })
  else pass('expires_in', 'absent, as Salesforce sends it')

  return {
    tokens: { accessToken, refreshToken, signature, scope, idToken, instanceUrl, id, tokenType, issuedAt, orgId, userId },
    checks,
  }
}
