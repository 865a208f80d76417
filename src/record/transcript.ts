/**
 * A transcript: what one run did, masked, for a developer reproducing a bug offline. Every HTTP exchange
 * of the harness (request, answer or network failure), the browser's page URLs in order, the outcome
 * (error code), and the names of screenshots taken on failure. Pure code; writing it is the CLI's job.
 */
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

export function parseTranscript(text: string, where: string): Transcript {
  const data = JSON.parse(text) as Partial<Transcript>
  if (data.format !== TRANSCRIPT_FORMAT || !Array.isArray(data.exchanges)) {
    throw new Error(`${where} is not a ${TRANSCRIPT_FORMAT} transcript`)
  }
  return data as Transcript
}
