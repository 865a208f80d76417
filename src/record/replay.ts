/**
 * Replays the HTTP part of a transcript (or of nock definitions written by `npm run record`) offline:
 * nock answers each recorded request with the recorded answer (or network failure), and the harness's
 * own request and process functions run on it, so a recorded failure ends in the same error code.
 * Network I/O still goes only through src/http (createHttp); nock sits under its global fetch.
 */
import nock from 'nock'
import { ERR, type ErrorCode, HarnessError } from '../errors.js'
import { createHttp, type Http } from '../http/client.js'
import { requestIntrospect, requestRefresh, requestRevoke, requestToken, requestUserinfo } from '../http/oauth.js'
import { endpointsFor } from '../oauth/endpoints.js'
import { processIntrospectResponse, processRevokeResponse, processUserinfoResponse } from '../oauth/other-responses.js'
import { processTokenResponse } from '../oauth/token-response.js'
import { FAKE_CLIENT_SECRET } from './fakes.js'
import type { Transcript, TranscriptExchange } from './transcript.js'

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
    if (x.response !== undefined) {
      const headers = Object.fromEntries(Object.entries(x.response.headers).filter(([k]) => !DROP_HEADERS.has(k)))
      interceptor.reply(x.response.status, x.response.body, headers)
    } else if (x.errorCode === 'NETWORK_TIMEOUT') {
      interceptor.delay(REPLAY_TIMEOUT_MS * 2).reply(504, '')
    } else if (x.errorCode === 'NETWORK_CONNECT_FAILED') {
      interceptor.replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED (replayed)' })
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

/** Send each recorded call again (first attempts only: retries are the client's own) and process its answer. */
export async function replayCalls(exchanges: readonly TranscriptExchange[], opts: { expectRefreshToken: boolean; http?: Http }): Promise<Omit<ReplayOutcome, 'unused'>> {
  const http = opts.http ?? createHttp({ timeoutMs: REPLAY_TIMEOUT_MS, sleep: () => Promise.resolve() })
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

async function replayOne(http: Http, x: TranscriptExchange, expectRefreshToken: boolean): Promise<void> {
  const url = new URL(x.request.url)
  const at = x.request.url.indexOf('/services/oauth2/')
  const base = at >= 0 ? x.request.url.slice(0, at) : url.origin
  const endpoints = endpointsFor(base)
  const form = new URLSearchParams(x.request.body ?? '')
  const clientSecret = FAKE_CLIENT_SECRET
  switch (url.pathname.slice(url.pathname.indexOf('/services/oauth2/') + '/services/oauth2/'.length)) {
    case 'token': {
      const refresh = form.get('grant_type') === 'refresh_token'
      const res = refresh ? await requestRefresh(http, endpoints, form) : await requestToken(http, endpoints, form)
      processTokenResponse(res, { clientSecret, expectRefreshToken: refresh ? false : expectRefreshToken, grant: refresh ? 'refresh_token' : 'authorization_code' })
      return
    }
    case 'revoke':
      processRevokeResponse(await requestRevoke(http, endpoints, form.get('token') ?? ''))
      return
    case 'introspect':
      processIntrospectResponse(await requestIntrospect(http, endpoints, form.get('token') ?? '', { clientId: form.get('client_id') ?? '', clientSecret: form.get('client_secret') ?? undefined }))
      return
    case 'userinfo':
      processUserinfoResponse(await requestUserinfo(http, base, (x.request.headers.authorization ?? '').replace(/^Bearer /, '')))
      return
    default:
      // Not an OAuth call the harness makes: send it as recorded, so its interceptor is used.
      await http.send({ method: x.request.method === 'POST' ? 'POST' : 'GET', url: x.request.url, idempotent: true, ...(x.request.body === undefined ? {} : { body: x.request.body }) })
  }
}

/**
 * Replay a whole transcript with the real network refused. Leaves nock as it found it: interceptors
 * cleaned, net connect re-enabled (callers inside an offline test pass `keepNetConnectOff`).
 */
export function replayTranscript(t: Transcript, opts: { keepNetConnectOff?: boolean } = {}): Promise<ReplayOutcome> {
  return replayOffline(() => { interceptExchanges(t.exchanges) }, t.exchanges, t.expectRefreshToken, opts)
}

/** Replay nock definitions (a `npm run record` fixture) with the real network refused, likewise. */
export function replayDefinitions(defs: readonly nock.Definition[], opts: { keepNetConnectOff?: boolean } = {}): Promise<ReplayOutcome> {
  return replayOffline(() => { nock.define([...defs]) }, exchangesFromDefinitions(defs), false, opts)
}

/** Network refused, `intercept()` sets the answers up, the calls are replayed; nock is left clean. */
async function replayOffline(intercept: () => void, exchanges: readonly TranscriptExchange[], expectRefreshToken: boolean, opts: { keepNetConnectOff?: boolean }): Promise<ReplayOutcome> {
  nock.disableNetConnect()
  try {
    intercept()
    const outcome = await replayCalls(exchanges, { expectRefreshToken })
    return { ...outcome, unused: nock.pendingMocks() }
  } finally {
    nock.abortPendingRequests()
    nock.cleanAll()
    if (opts.keepNetConnectOff !== true) nock.enableNetConnect()
  }
}
