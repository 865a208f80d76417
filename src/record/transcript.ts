/**
 * A transcript: what one run did, masked, for a developer reproducing a bug offline. Every HTTP exchange
 * of the harness (request, answer or network failure), the browser's page URLs in order, the outcome
 * (error code), and the names of screenshots taken on failure. Pure code; writing it is the CLI's job.
 */
import { HarnessError } from '../errors.js'
import type { Exchange } from '../http/client.js'
import { FAKE_CLIENT_ID, FAKE_LOGIN_URL } from './fakes.js'
import { Masker, type KnownValues } from './mask.js'

export const TRANSCRIPT_FORMAT = 'sf-oauth-transcript/1'
export const TRANSCRIPT_FILE = 'transcript.json'

export interface TranscriptExchange {
  readonly request: { readonly method: string; readonly url: string; readonly headers: Record<string, string>; readonly body: string | undefined }
  readonly response: { readonly status: number; readonly headers: Record<string, string>; readonly body: string } | undefined
  /** The harness's message for a failure without an answer (time-out, reset), masked. */
  readonly error: string | undefined
  /** The harness's error code for that failure (NETWORK_TIMEOUT, NETWORK_ERROR, ...). */
  readonly errorCode: string | undefined
  readonly attempt: number
  readonly durationMs: number
}

export interface Transcript {
  readonly format: typeof TRANSCRIPT_FORMAT
  readonly recordedAt: string
  /** Fakes: the run's login URL and client id as the exchanges show them. */
  readonly loginUrl: string
  readonly clientId: string
  /** The code exchange asked for a refresh scope, so a missing refresh_token is an error. */
  readonly expectRefreshToken: boolean
  readonly outcome: { readonly ok: boolean; readonly code: string | undefined; readonly message: string | undefined }
  readonly pages: readonly string[]
  readonly exchanges: readonly TranscriptExchange[]
  readonly screenshots: readonly string[]
}

export interface RawRun {
  readonly known: KnownValues
  readonly expectRefreshToken: boolean
  readonly exchanges: readonly Exchange[]
  readonly pages: readonly string[]
  readonly outcome: { readonly ok: boolean; readonly code: string | undefined; readonly message: string | undefined }
  readonly screenshots: readonly string[]
  readonly now?: Date
}

/** Mask a whole run. Answers are masked before requests, so a token is faked where it was issued. */
export function buildTranscript(run: RawRun): Transcript {
  const m = new Masker(run.known)
  const masked = run.exchanges.map((x) => {
    const response = x.response === undefined ? undefined : {
      status: x.response.status,
      headers: m.headers(x.response.headers),
      body: m.body(x.response.body, x.response.headers['content-type']) ?? '',
    }
    return { x, response }
  })
  const exchanges = masked.map(({ x, response }): TranscriptExchange => ({
    request: { method: x.request.method, url: m.url(x.request.url), headers: m.headers(x.request.headers), body: m.body(x.request.body, x.request.headers['content-type']) },
    response,
    error: x.error === undefined ? undefined : m.text(x.error),
    errorCode: x.errorCode,
    attempt: x.attempt,
    durationMs: Math.round(x.durationMs),
  }))
  return {
    format: TRANSCRIPT_FORMAT,
    recordedAt: (run.now ?? new Date()).toISOString(),
    loginUrl: run.known.loginUrl === undefined ? FAKE_LOGIN_URL : m.url(run.known.loginUrl).replace(/\/$/, ''),
    clientId: FAKE_CLIENT_ID,
    expectRefreshToken: run.expectRefreshToken,
    outcome: { ok: run.outcome.ok, code: run.outcome.code, message: run.outcome.message === undefined ? undefined : m.text(run.outcome.message) },
    pages: run.pages.map((p) => m.url(p)),
    exchanges,
    screenshots: run.screenshots,
  }
}

/**
 * Header names as HTTP allows them and values of visible Latin-1 text (RFC 9110 §5.1, §5.5): nock rebuilds
 * them into a fetch Response, which throws on anything else.
 */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
const METHOD = /^[A-Z]{1,16}$/

/** A transcript file is outside input: every field is checked, and a fresh object is built from them. */
export function parseTranscript(text: string, where: string): Transcript {
  const bad = (path: string, problem: string): never => {
    throw new HarnessError('TRANSCRIPT_INVALID', `${where} is not a usable ${TRANSCRIPT_FORMAT} transcript: ${path} ${problem}; record it again with sf-oauth flow --record DIR`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return bad('the file', 'is not JSON')
  }
  const t = record(data, 'the file', bad)
  if (t.format !== TRANSCRIPT_FORMAT) bad('"format"', `is not "${TRANSCRIPT_FORMAT}"`)
  const outcome = record(t.outcome, '"outcome"', bad)
  return {
    format: TRANSCRIPT_FORMAT,
    recordedAt: string(t.recordedAt, '"recordedAt"', bad),
    loginUrl: string(t.loginUrl, '"loginUrl"', bad),
    clientId: string(t.clientId, '"clientId"', bad),
    expectRefreshToken: boolean(t.expectRefreshToken, '"expectRefreshToken"', bad),
    outcome: { ok: boolean(outcome.ok, '"outcome.ok"', bad), code: optional(outcome.code, '"outcome.code"', bad), message: optional(outcome.message, '"outcome.message"', bad) },
    pages: array(t.pages, '"pages"', bad).map((p, i) => string(p, `"pages[${i}]"`, bad)),
    exchanges: array(t.exchanges, '"exchanges"', bad).map((x, i) => exchange(x, `"exchanges[${i}]`, bad)),
    screenshots: array(t.screenshots ?? [], '"screenshots"', bad).map((p, i) => string(p, `"screenshots[${i}]"`, bad)),
  }
}

export type Bad = (path: string, problem: string) => never

function exchange(value: unknown, at: string, bad: Bad): TranscriptExchange {
  const x = record(value, `${at}"`, bad)
  const req = record(x.request, `${at}.request"`, bad)
  const method = string(req.method, `${at}.request.method"`, bad)
  if (!METHOD.test(method)) bad(`${at}.request.method"`, 'is not an HTTP method')
  const url = string(req.url, `${at}.request.url"`, bad)
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) bad(`${at}.request.url"`, 'is not an http(s) URL')
  const res = x.response === undefined || x.response === null ? undefined : record(x.response, `${at}.response"`, bad)
  let response: TranscriptExchange['response']
  if (res !== undefined) {
    const status = res.status
    // Any three digits: a status outside 200-599 is replayed as the HTTP_STATUS_INVALID it ends in.
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 999) bad(`${at}.response.status"`, 'is not a three-digit HTTP status')
    response = { status: status, headers: headers(res.headers, `${at}.response.headers"`, bad), body: string(res.body, `${at}.response.body"`, bad) }
  }
  const attempt = x.attempt
  if (typeof attempt !== 'number' || !Number.isSafeInteger(attempt) || attempt < 1) bad(`${at}.attempt"`, 'is not a whole number from 1')
  const durationMs = x.durationMs
  if (typeof durationMs !== 'number' || !Number.isFinite(durationMs) || durationMs < 0) bad(`${at}.durationMs"`, 'is not a duration in ms')
  return {
    request: { method, url, headers: headers(req.headers, `${at}.request.headers"`, bad), body: optional(req.body, `${at}.request.body"`, bad) },
    response,
    error: optional(x.error, `${at}.error"`, bad),
    errorCode: optional(x.errorCode, `${at}.errorCode"`, bad),
    attempt: attempt,
    durationMs: durationMs,
  }
}

function record(value: unknown, at: string, bad: Bad): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(at, 'is not an object')
  return value as Record<string, unknown>
}

function array(value: unknown, at: string, bad: Bad): unknown[] {
  return Array.isArray(value) ? value : bad(at, 'is not an array')
}

function string(value: unknown, at: string, bad: Bad): string {
  return typeof value === 'string' ? value : bad(at, 'is not a string')
}

function optional(value: unknown, at: string, bad: Bad): string | undefined {
  return value === undefined || value === null ? undefined : string(value, at, bad)
}

function boolean(value: unknown, at: string, bad: Bad): boolean {
  return typeof value === 'boolean' ? value : bad(at, 'is not true or false')
}

/** Lower-case names, as the client records them; built with fromEntries, so a "__proto__" key stays a plain key. */
export function headers(value: unknown, at: string, bad: Bad): Record<string, string> {
  if (value === undefined || value === null) return {}
  const entries = Object.entries(record(value, at, bad)).map(([k, v]) => {
    if (!HEADER_NAME.test(k)) bad(at, 'has a header name HTTP does not allow')
    if (typeof v !== 'string' || !HEADER_VALUE.test(v)) bad(at, `has a value for ${k} that is not a one-line string`)
    return [k.toLowerCase(), v] as const
  })
  return Object.fromEntries(entries)
}
