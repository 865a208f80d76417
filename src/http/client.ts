/**
 * The one place that does network I/O. Global `fetch` (so nock can see it in offline tests) with an
 * undici EnvHttpProxyAgent as dispatcher: keep-alive, connect/header/body time limits, and proxies from
 * HTTPS_PROXY / NO_PROXY. Retries only what certainly was not processed.
 */
import { channel } from 'node:diagnostics_channel'
import { EnvHttpProxyAgent, type Dispatcher } from 'undici'
import { ConfigError, type HarnessError, InfraError, ResponseValidationError } from '../errors.js'
import type { RawResponse } from '../oauth/types.js'

/** One request: method, URL, headers, body, and whether it may be re-sent (`idempotent`). */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT'
  readonly url: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: URLSearchParams | string
  /**
   * May the request be sent again after the server might have processed it? False for a code exchange
   * or a refresh under rotation: a second send would burn the code or the rotated token.
   */
  readonly idempotent: boolean
  /** Overrides the client's time limit for this request. */
  readonly timeoutMs?: number
}

/** One request and its answer, raw (secrets included): published on {@link EXCHANGE_CHANNEL}; mask before showing it. */
export interface Exchange {
  readonly request: { method: string; url: string; headers: Record<string, string>; body: string | undefined }
  readonly response: RawResponse | undefined
  readonly error: string | undefined
  /** The harness's code for that failure (NETWORK_TIMEOUT, NETWORK_ERROR, ...). */
  readonly errorCode?: string | undefined
  readonly durationMs: number
  readonly attempt: number
}

/** Options of {@link createHttp}: the time limit, retries, and who is told of each exchange. */
export interface HttpOptions {
  readonly timeoutMs: number
  /** Answers larger than this are refused (a 20 MB HTML page is not a token). Default 1 MiB. */
  readonly maxBodyBytes?: number
  /** Attempts for retryable failures, including the first. Default 3. */
  readonly maxAttempts?: number
  /** Longest wait honoured from Retry-After. Default 10 s. */
  readonly maxRetryDelayMs?: number
  readonly dispatcher?: Dispatcher
  /** Observer of this client's exchanges (the flow's events, transcripts). Receives raw data: the sink must redact. */
  readonly onExchange?: (exchange: Exchange) => void
  /** Injected for tests, so retry tests need no real waiting. */
  readonly sleep?: (ms: number) => Promise<void>
  /**
   * The proxies as src/config.ts read them from `.env` and the environment (`''`: none). Without them
   * undici reads the process environment itself, and a proxy set only in `.env` would be ignored.
   */
  readonly proxies?: ProxySettings | undefined
}

/** HTTP_PROXY, HTTPS_PROXY and NO_PROXY (lower case first, as undici and curl read them); `''` for unset. */
export interface ProxySettings {
  readonly httpProxy: string
  readonly httpsProxy: string
  readonly noProxy: string
}

/** The HTTP client every operation sends through (the harness's only network I/O). */
export interface Http {
  send(req: HttpRequest): Promise<RawResponse>
  close(): Promise<void>
}

/**
 * Every exchange of every client in the process is also published (as an `Exchange`) on this Node
 * diagnostics channel, the runtime's standard seam for instrumentation (undici publishes its requests
 * the same way): a report can show every call without each layer passing a callback down to the client
 * a flow or a command creates. The test suite's report attachments subscribe (tests/support/emulator.ts);
 * nothing is built or kept while nobody does. Raw data: a subscriber must redact (src/report/exchange.ts).
 * Subscribe with `subscribe(EXCHANGE_CHANNEL, fn)` from `node:diagnostics_channel`.
 */
export const EXCHANGE_CHANNEL = 'sf-oauth:http:exchange'
const exchangeChannel = channel(EXCHANGE_CHANNEL)

/** Node's codes for a certificate it does not trust (node:tls; OpenSSL's X509_V_ERR_* names). */
const TLS_TRUST_ERRORS = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID'])
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])

/**
 * An HTTP client over global `fetch` with an undici dispatcher: proxies from HTTPS_PROXY/NO_PROXY, a time
 * limit per request, a size limit per answer, retries only of what certainly was not processed (a code
 * or a refresh token is never sent twice). `close()` it when done.
 *
 * @throws (from `send`) `NETWORK_CONNECT_FAILED`, `NETWORK_TIMEOUT`, `NETWORK_ERROR`, `HTTP_PROTOCOL_ERROR`, `RESPONSE_TOO_LARGE` (exit 3), `HTTP_STATUS_INVALID`; `CONFIG_INVALID` for a bad proxy variable.
 */
export function createHttp(options: HttpOptions): Http {
  const ownDispatcher = options.dispatcher === undefined
  const dispatcher = options.dispatcher ?? proxyAgent({
    connectTimeout: Math.min(options.timeoutMs, 10_000),
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 4_000,
    ...options.proxies,
  })
  const maxBody = options.maxBodyBytes ?? 1024 * 1024
  const maxAttempts = options.maxAttempts ?? 3
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))

  async function once(req: HttpRequest, attempt: number): Promise<RawResponse> {
    const started = performance.now()
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers }
    const body = req.body === undefined ? undefined : req.body.toString()
    if (req.body instanceof URLSearchParams) headers['content-type'] = 'application/x-www-form-urlencoded'
    const record = (response: RawResponse | undefined, failure: { message: string; code: string } | undefined) => {
      const exchange: Exchange = { request: { method: req.method, url: req.url, headers, body }, response, error: failure?.message, errorCode: failure?.code, durationMs: performance.now() - started, attempt }
      options.onExchange?.(exchange)
      if (exchangeChannel.hasSubscribers) exchangeChannel.publish(exchange)
    }
    const timeoutMs = req.timeoutMs ?? options.timeoutMs
    let res: Response
    try {
      res = await fetch(req.url, {
        method: req.method,
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        // @ts-expect-error: `dispatcher` is undici's extension to fetch's RequestInit.
        dispatcher,
      })
    } catch (err) {
      const failure = classify(err, req, timeoutMs, false)
      record(undefined, failure)
      throw failure
    }
    // fetch hands over any three-digit status (a raw server can send `HTTP/1.1 999 X`); HTTP defines
    // final answers as 200-599 only (RFC 9110 §15), and nock/undici cannot even rebuild such a Response.
    if (res.status < 200 || res.status > 599) {
      await res.body?.cancel().catch(() => undefined)
      const failure = statusInvalid(req, res.status)
      record(undefined, failure)
      throw failure
    }
    let text: string
    try {
      text = await readLimited(res, maxBody, req.url)
    } catch (err) {
      const failure = err instanceof ResponseValidationError ? err : classify(err, req, timeoutMs, true)
      record(undefined, failure)
      throw failure
    }
    const raw: RawResponse = { status: res.status, headers: Object.fromEntries(res.headers), body: text, url: req.url }
    record(raw, undefined)
    return raw
  }

  return {
    async send(req) {
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await once(req, attempt)
          const wait = retryAfterMs(res)
          // 503 + Retry-After: the server says it did not process the request; still, only idempotent calls.
          if (res.status === 503 && wait !== undefined && req.idempotent && attempt < maxAttempts && wait <= (options.maxRetryDelayMs ?? 10_000)) {
            await sleep(wait)
            continue
          }
          return res
        } catch (err) {
          // A refused connection never reached the server, so even a code exchange may be sent again.
          if (err instanceof InfraError && err.code === 'NETWORK_CONNECT_FAILED' && attempt < maxAttempts) {
            await sleep(Math.min(250 * 2 ** (attempt - 1), 2_000))
            continue
          }
          throw err
        }
      }
    },
    async close() {
      if (ownDispatcher) await dispatcher.close()
    },
  }
}

function retryAfterMs(res: RawResponse): number | undefined {
  const h = res.headers['retry-after']
  if (h === undefined) return undefined
  if (/^\d+$/.test(h.trim())) return Number(h.trim()) * 1000
  const at = Date.parse(h)
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now())
}

async function readLimited(res: Response, max: number, url: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (declared > max) {
    await res.body?.cancel()
    throw tooLarge(url, declared, max)
  }
  if (!res.body) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = res.body.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel()
      throw tooLarge(url, size, max)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function tooLarge(url: string, size: number, max: number): ResponseValidationError {
  return new ResponseValidationError('RESPONSE_TOO_LARGE', `${new URL(url).pathname} answered more than ${max} bytes (at least ${size}): a token answer is under 4 KB; check SF_LOGIN_URL and any proxy`, { cause: { size, max } })
}

/** Errors and their causes; nock's replyWithError rejects fetch with the plain object it was given. */
function* causes(err: unknown): Generator<{ code?: unknown; name?: unknown; cause?: unknown }> {
  for (let e: unknown = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) yield e
}

function errorCode(err: unknown): string | undefined {
  for (const e of causes(err)) if (typeof e.code === 'string') return e.code
  return undefined
}

/**
 * undici's EnvHttpProxyAgent reads HTTP(S)_PROXY itself and throws a bare TypeError/URIError for a value it
 * cannot use; loadConfig reports the same problem first, this covers commands that read no config (replay).
 */
function proxyAgent(opts: ConstructorParameters<typeof EnvHttpProxyAgent>[0]): EnvHttpProxyAgent {
  try {
    return new EnvHttpProxyAgent(opts)
  } catch {
    throw new ConfigError([{ key: 'HTTPS_PROXY', problem: '(or HTTP_PROXY, https_proxy, http_proxy) is not a usable proxy URL', fix: 'use http://host:port (user:password@ percent-encoded), or unset it' }])
  }
}

/**
 * The status a proxy answered CONNECT with, when it was not 200: undici's ProxyAgent reports it only in
 * its error's message ("Proxy response (407) !== 200 when HTTP Tunneling", code UND_ERR_ABORTED).
 * Nothing reached the server, but a refusal is not retried: the proxy will say the same again.
 */
function tunnelRefusal(err: unknown): number | undefined {
  for (const e of causes(err)) {
    const message = (e as { message?: unknown }).message
    const m = e.code === 'UND_ERR_ABORTED' && typeof message === 'string' ? /^Proxy response \((\d{3})\) !== 200 when HTTP Tunneling/.exec(message) : null
    if (m !== null) return Number(m[1])
  }
  return undefined
}

function statusInvalid(req: HttpRequest, status: number | undefined): ResponseValidationError {
  const where = `${req.method} ${new URL(req.url).origin}${new URL(req.url).pathname}`
  return new ResponseValidationError('HTTP_STATUS_INVALID', `${where} answered HTTP status ${status ?? 'below 200'}, outside HTTP's 200-599: it is not Salesforce; check SF_LOGIN_URL and any proxy`, { cause: { status } })
}

/** The failures undici reports for an answer that is not HTTP/1.1 (its parser, or its asserts on a 0xx/101 status line). */
function protocolFailure(err: unknown): 'parser' | 'status' | undefined {
  for (const e of causes(err)) {
    // A replayed transcript carries the recorded code itself (src/record/replay.ts).
    if (e.code === 'HTTP_STATUS_INVALID' || (e.code === 'ERR_ASSERTION' && e !== err)) return 'status'
    if (e.code === 'HTTP_PROTOCOL_ERROR' || e.name === 'HTTPParserError') return 'parser'
  }
  return undefined
}

function classify(err: unknown, req: HttpRequest, timeoutMs: number, duringBody: boolean): HarnessError {
  const where = `${req.method} ${new URL(req.url).origin}${new URL(req.url).pathname}`
  const name = err instanceof Error ? err.name : ''
  const protocol = protocolFailure(err)
  if (protocol === 'status') return statusInvalid(req, undefined)
  if (protocol === 'parser') {
    const detail = err instanceof Error && err.cause instanceof Error ? err.cause.message.split('\n')[0]?.slice(0, 120) : undefined
    return new ResponseValidationError('HTTP_PROTOCOL_ERROR', `${where} answered something that is not HTTP/1.1${detail === undefined ? '' : ` (${detail})`}: it is not Salesforce; check SF_LOGIN_URL and any proxy`, { cause: { detail } })
  }
  if (name === 'TimeoutError' || name === 'AbortError' || errorCode(err) === 'UND_ERR_HEADERS_TIMEOUT' || errorCode(err) === 'UND_ERR_BODY_TIMEOUT') {
    return new InfraError('NETWORK_TIMEOUT', `${where} did not answer within ${timeoutMs} ms: raise SF_TIMEOUT_MS or check the network`, { timeoutMs })
  }
  const refusedWith = tunnelRefusal(err)
  if (refusedWith !== undefined) {
    const why = refusedWith === 407 ? 'it did not accept the user and password of HTTPS_PROXY' : 'check its rules for this host'
    return new InfraError('PROXY_TUNNEL_REFUSED', `${where}: the proxy of HTTPS_PROXY refused to open a tunnel (HTTP ${refusedWith}): ${why}, or add the host to NO_PROXY`, { status: refusedWith })
  }
  const code = errorCode(err)
  if (!duringBody && code !== undefined && TLS_TRUST_ERRORS.has(code)) {
    return new InfraError('NETWORK_TLS_UNTRUSTED', `${where}: its TLS certificate is not trusted (${code}): a TLS-inspecting proxy or a test server needs its CA in NODE_EXTRA_CA_CERTS; otherwise check SF_LOGIN_URL`, { code })
  }
  if (!duringBody && code !== undefined && CONNECT_ERRORS.has(code)) {
    return new InfraError('NETWORK_CONNECT_FAILED', `${where} could not be reached (${code}): check SF_LOGIN_URL, DNS and HTTPS_PROXY`, { code })
  }
  return new InfraError('NETWORK_ERROR', `${where} failed ${duringBody ? 'while reading the answer' : ''} (${code ?? name}): the connection was reset; run again`.replace('  ', ' '), { code })
}
