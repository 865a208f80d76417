/**
 * Replays the HTTP part of a transcript (or of nock definitions written by `npm run record`) offline:
 * nock answers each recorded request with the recorded answer (or network failure), and the harness's
 * own request and process functions run on it, so a recorded failure ends in the same error code.
 * Network I/O still goes only through src/http (createHttp); nock sits under its global fetch.
 */
import nock from 'nock'
import { exchangeCode, identity, introspect, refresh, revoke, userinfo, type OperationContext } from '../client/operations.js'
import { ERR, type ErrorCode, HarnessError } from '../errors.js'
import { createHttp, type Http } from '../http/client.js'
import { parseCallback, type ValidatedCallback } from '../oauth/callback.js'
import { redactor } from '../redact.js'
import { headers as checkHeaders, type Bad, type Transcript, type TranscriptExchange } from './transcript.js'

/** Time limit of a replay: recorded time-outs are replayed as answers that come later than this. */
export const REPLAY_TIMEOUT_MS = 3_000
const DROP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'date'])

export interface ReplayOutcome {
  readonly ok: boolean
  readonly code: ErrorCode | undefined
  readonly message: string | undefined
  /** What each replayed call ended in (`ok` or an error code), in order. */
  readonly calls: readonly string[]
  /** Recorded answers nobody asked for: the replay went another way than the run. */
  readonly unused: readonly string[]
}

/** One nock interceptor per recorded exchange, in order (nock answers same-route requests in order). */
export function interceptExchanges(exchanges: readonly TranscriptExchange[]): void {
  for (const x of exchanges) {
    const u = new URL(x.request.url)
    const interceptor = nock(u.origin).intercept(u.pathname + u.search, x.request.method, x.request.body ?? undefined)
    const code = x.response !== undefined && (x.response.status < 200 || x.response.status > 599) ? 'HTTP_STATUS_INVALID' : x.errorCode
    if (code === 'HTTP_STATUS_INVALID' || code === 'HTTP_PROTOCOL_ERROR') {
      // fetch cannot build a Response outside 200-599 (nock would throw in a timer): the client maps this code back.
      interceptor.replyWithError({ code, message: `${code} (replayed)` })
    } else if (x.response !== undefined) {
      const headers = Object.fromEntries(Object.entries(x.response.headers).filter(([k]) => !DROP_HEADERS.has(k)))
      interceptor.reply(x.response.status, x.response.body, headers)
    } else if (x.errorCode === 'NETWORK_TIMEOUT') {
      interceptor.delay(REPLAY_TIMEOUT_MS * 2).reply(504, '')
    } else if (x.errorCode === 'NETWORK_CONNECT_FAILED') {
      interceptor.replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED (replayed)' })
    } else if (x.errorCode === 'NETWORK_TLS_UNTRUSTED') {
      interceptor.replyWithError({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify the first certificate (replayed)' })
    } else if (x.errorCode === 'PROXY_TUNNEL_REFUSED') {
      // As undici's ProxyAgent says it; the status is in the recorded message ("… (HTTP 407) …").
      interceptor.replyWithError({ code: 'UND_ERR_ABORTED', message: `Proxy response (${/HTTP (\d{3})/.exec(x.error ?? '')?.[1] ?? '403'}) !== 200 when HTTP Tunneling` })
    } else {
      interceptor.replyWithError({ code: 'ECONNRESET', message: 'socket hang up (replayed)' })
    }
  }
}

/** nock definitions (nock.back / recorder format) as exchanges. */
export function exchangesFromDefinitions(defs: readonly nock.Definition[]): TranscriptExchange[] {
  return defs.map((d) => {
    const headers = (d.rawHeaders ?? {}) as Record<string, string>
    const body = typeof d.response === 'string' ? d.response : d.response === undefined ? '' : JSON.stringify(d.response)
    const reqBody = typeof d.body === 'string' ? d.body : d.body === undefined ? undefined : new URLSearchParams(d.body as Record<string, string>).toString()
    return {
      request: { method: (d.method ?? 'GET').toUpperCase(), url: `${String(d.scope).replace(/\/$/, '')}${d.path}`, headers: {}, body: reqBody },
      response: { status: d.status ?? 200, headers, body },
      error: undefined,
      errorCode: undefined,
      attempt: 1,
      durationMs: 0,
    }
  })
}

/**
 * A `sf-oauth record` fixture is outside input: each definition is checked and rebuilt with only the fields
 * nock.define reads, so a malformed file is one NOCK_FIXTURE_INVALID instead of nock's TypeError.
 */
export function parseNockDefinitions(text: string, where: string): nock.Definition[] {
  const bad: Bad = (path, problem) => {
    throw new HarnessError('NOCK_FIXTURE_INVALID', `${where} is not a usable nock fixture: ${path} ${problem}; record it again with sf-oauth record`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return bad('the file', 'is not JSON')
  }
  if (!Array.isArray(data)) return bad('the file', 'is not an array of nock definitions')
  return data.map((value, i) => definition(value, `"[${i}]`, bad))
}

function definition(value: unknown, at: string, bad: Bad): nock.Definition {
  if (!isRecord(value)) return bad(`${at}"`, 'is not an object')
  const { scope, method, path, body, status, response, rawHeaders, reqheaders, responseIsBinary } = value
  if (typeof scope !== 'string' || !isOrigin(scope)) bad(`${at}.scope"`, 'is not an http(s) origin such as https://login.salesforce.com')
  if (typeof method !== 'string' || !/^[A-Za-z]{1,16}$/.test(method)) bad(`${at}.method"`, 'is not an HTTP method')
  if (typeof path !== 'string' || !path.startsWith('/') || !URL.canParse(path, scope)) bad(`${at}.path"`, 'is not a path starting with /')
  if (body !== undefined && typeof body !== 'string' && !isRecord(body)) bad(`${at}.body"`, 'is neither a string nor an object')
  if (status !== undefined && (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599)) bad(`${at}.status"`, 'is not an HTTP status from 200 to 599')
  if (response !== undefined && typeof response !== 'string' && (typeof response !== 'object' || response === null)) bad(`${at}.response"`, 'is neither a string nor JSON')
  if (responseIsBinary !== undefined && typeof responseIsBinary !== 'boolean') bad(`${at}.responseIsBinary"`, 'is not true or false')
  if (responseIsBinary === true && (typeof response !== 'string' || !/^(?:[0-9a-f]{2})*$/i.test(response))) bad(`${at}.response"`, 'is not hex, though responseIsBinary is true')
  let headers: Record<string, string> | string[] | undefined
  if (Array.isArray(rawHeaders)) {
    // Older nock writes a flat [name, value, name, value, ...] list.
    if (rawHeaders.length % 2 !== 0) bad(`${at}.rawHeaders"`, 'is a list of odd length, not name/value pairs')
    const list: unknown[] = rawHeaders
    const pairs: [string, unknown][] = []
    for (let k = 0; k < list.length; k += 2) {
      const name = list[k]
      if (typeof name !== 'string') bad(`${at}.rawHeaders"`, 'has a header name that is not a string')
      pairs.push([name, list[k + 1]])
    }
    checkHeaders(Object.fromEntries(pairs), `${at}.rawHeaders"`, bad)
    headers = rawHeaders as string[]
  } else if (rawHeaders !== undefined) {
    headers = checkHeaders(rawHeaders, `${at}.rawHeaders"`, bad)
  }
  const req = reqheaders === undefined ? undefined : checkHeaders(reqheaders, `${at}.reqheaders"`, bad)
  return {
    scope: scope,
    method: (method).toUpperCase(),
    path: path,
    ...(body === undefined ? {} : { body: body }),
    ...(status === undefined ? {} : { status: status }),
    ...(response === undefined ? {} : { response: response as string | Record<string, unknown> }),
    ...(headers === undefined ? {} : { rawHeaders: headers }),
    ...(req === undefined ? {} : { reqheaders: req }),
    ...(responseIsBinary === undefined ? {} : { responseIsBinary }),
  } as nock.Definition
}

/** `https://host`, `https://host:443`: what nock writes as a scope (no path, query or credentials). */
function isOrigin(scope: string): boolean {
  if (!URL.canParse(scope)) return false
  const u = new URL(scope)
  const written = scope.replace(/\/$/, '').toLowerCase()
  const port = u.port || (u.protocol === 'https:' ? '443' : '80')
  return /^https?:$/.test(u.protocol) && (written === u.origin || written === `${u.protocol}//${u.hostname}:${port}`)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Send each recorded call again (first attempts only: retries are the client's own) and process its answer. */
export async function replayCalls(exchanges: readonly TranscriptExchange[], opts: { expectRefreshToken: boolean; http?: Http; timeoutMs?: number | undefined }): Promise<Omit<ReplayOutcome, 'unused'>> {
  const http = opts.http ?? createHttp({ timeoutMs: opts.timeoutMs ?? REPLAY_TIMEOUT_MS, sleep: () => Promise.resolve() })
  const calls: string[] = []
  try {
    for (const x of exchanges.filter((e) => e.attempt === 1)) {
      try {
        await replayOne(http, x, opts.expectRefreshToken)
        calls.push('ok')
      } catch (err) {
        const code = err instanceof HarnessError ? err.code : ERR.INTERNAL_ERROR
        calls.push(code)
        return { ok: false, code, message: err instanceof Error ? err.message : String(err), calls }
      }
    }
    return { ok: true, code: undefined, message: undefined, calls }
  } finally {
    if (opts.http === undefined) await http.close()
  }
}

/** A recorded call, as the operation that made it needs it. */
interface RecordedCall {
  readonly x: TranscriptExchange
  /** The login (or instance) URL: the recorded URL up to /services/oauth2/. */
  readonly base: string
  readonly form: URLSearchParams
  readonly expectRefreshToken: boolean
}

const bearer = (c: RecordedCall) => (c.x.request.headers.authorization ?? '').replace(/^Bearer /, '')
/** The client as recorded (masked: the fake client id and secret). */
const clientOf = (c: RecordedCall) => ({ loginUrl: c.base, clientId: c.form.get('client_id') ?? '', clientSecret: c.form.get('client_secret') ?? undefined })

/**
 * A recorded code exchange's code, as the ValidatedCallback the operation takes. `state` was checked when
 * the run was recorded; a transcript keeps no state, so the callback is rebuilt with one of its own.
 */
function recordedCallback(form: URLSearchParams): ValidatedCallback | undefined {
  const redirectUri = form.get('redirect_uri')
  const code = form.get('code')
  if (redirectUri === null || code === null || !URL.canParse(redirectUri)) return undefined
  const url = new URL(redirectUri)
  url.searchParams.set('code', code)
  url.searchParams.set('state', 'replay')
  return parseCallback(url.toString(), { redirectUri, state: 'replay' })
}

type Replayer = (ctx: OperationContext, call: RecordedCall) => Promise<unknown>

/** Each OAuth call the harness makes → the operation that makes it (src/client/operations.ts). */
const REPLAY: Readonly<Record<string, Replayer>> = {
  // A recorded id_token is masked (not a signed JWT), and the recorded /id/keys call replays on its own.
  'token:refresh_token': (ctx, c) => refresh(ctx, clientOf(c), c.form.get('refresh_token') ?? '', { checkIdToken: false }),
  'token:authorization_code': async (ctx, c) => {
    const callback = recordedCallback(c.form)
    if (callback === undefined) return sendAsRecorded(ctx, c)
    return exchangeCode(ctx, clientOf(c), callback, { verifier: c.form.get('code_verifier') ?? undefined, expectRefreshToken: c.expectRefreshToken })
  },
  revoke: (ctx, c) => revoke(ctx, c.base, c.form.get('token') ?? ''),
  introspect: (ctx, c) => introspect(ctx, clientOf(c), c.form.get('token') ?? ''),
  userinfo: (ctx, c) => userinfo(ctx, c.base, bearer(c)),
  // check --identity-version asked with ?version=: sent again as recorded (the interceptor matches the query).
  identity: (ctx, c) => identity(ctx, c.x.request.url, bearer(c), { version: new URL(c.x.request.url).searchParams.get('version') ?? undefined }),
}

/** Not an OAuth call the harness makes: send it as recorded, so its interceptor is used. */
async function sendAsRecorded(ctx: OperationContext, c: RecordedCall): Promise<unknown> {
  const x = c.x
  return ctx.http.send({ method: x.request.method === 'POST' ? 'POST' : 'GET', url: x.request.url, idempotent: true, ...(x.request.body === undefined ? {} : { body: x.request.body }) })
}

/** The table key of a recorded call: the path under /services/oauth2/ (the token grant too), or `identity`. */
function keyOf(url: URL, form: URLSearchParams): string | undefined {
  const at = url.pathname.indexOf('/services/oauth2/')
  if (at < 0) return /^\/id\/[^/]+\/[^/]+$/.test(url.pathname) ? 'identity' : undefined
  const path = url.pathname.slice(at + '/services/oauth2/'.length)
  return path === 'token' ? `token:${form.get('grant_type') === 'refresh_token' ? 'refresh_token' : 'authorization_code'}` : path
}

async function replayOne(http: Http, x: TranscriptExchange, expectRefreshToken: boolean): Promise<void> {
  const url = new URL(x.request.url)
  const at = x.request.url.indexOf('/services/oauth2/')
  const form = new URLSearchParams(x.request.body ?? '')
  const call: RecordedCall = { x, base: at >= 0 ? x.request.url.slice(0, at) : url.origin, form, expectRefreshToken }
  const key = keyOf(url, form)
  const replayer = key === undefined ? undefined : REPLAY[key]
  await (replayer ?? sendAsRecorded)({ http, secrets: redactor }, call)
}

/** How a replay runs: `timeoutMs` is how long a replayed call may take (a recorded time-out waits that long). */
export interface ReplayOptions {
  readonly keepNetConnectOff?: boolean
  readonly timeoutMs?: number
}

/**
 * Replay a whole transcript with the real network refused. Leaves nock as it found it: interceptors
 * cleaned, net connect re-enabled (callers inside an offline test pass `keepNetConnectOff`).
 */
export function replayTranscript(t: Transcript, opts: ReplayOptions = {}): Promise<ReplayOutcome> {
  return replayOffline(() => { interceptExchanges(t.exchanges) }, t.exchanges, t.expectRefreshToken, opts)
}

/** Replay nock definitions (a `npm run record` fixture) with the real network refused, likewise. */
export function replayDefinitions(defs: readonly nock.Definition[], opts: ReplayOptions = {}): Promise<ReplayOutcome> {
  return replayOffline(() => { defineChecked(defs) }, exchangesFromDefinitions(defs), false, opts)
}

/** nock.define, its own refusals typed (parseNockDefinitions already rules out what is known to throw). */
function defineChecked(defs: readonly nock.Definition[]): void {
  try {
    nock.define([...defs])
  } catch (err) {
    throw new HarnessError('NOCK_FIXTURE_INVALID', `nock cannot replay this fixture (${err instanceof Error ? err.message.split('\n')[0] ?? '' : 'unknown'}): record it again with sf-oauth record`)
  }
}

/** Network refused, `intercept()` sets the answers up, the calls are replayed; nock is left clean. */
async function replayOffline(intercept: () => void, exchanges: readonly TranscriptExchange[], expectRefreshToken: boolean, opts: ReplayOptions): Promise<ReplayOutcome> {
  // A process that recorded first (sf-oauth record ends with nock.restore()) has nock switched off:
  // on again for the replay, and off again after it, as found.
  const activated = !nock.isActive()
  if (activated) nock.activate()
  nock.disableNetConnect()
  try {
    intercept()
    const outcome = await replayCalls(exchanges, { expectRefreshToken, timeoutMs: opts.timeoutMs })
    return { ...outcome, unused: nock.pendingMocks() }
  } finally {
    nock.abortPendingRequests()
    nock.cleanAll()
    if (opts.keepNetConnectOff !== true) nock.enableNetConnect()
    if (activated) nock.restore()
  }
}
