/**
 * Replays a run recorded as a HAR (`flow --har FILE` / `--record DIR`) with no network: the browser part
 * in a real headless browser, each page served from the HAR (src/browser/har-router.ts), driven by the
 * same state machine as a live run (authorizeInBrowser); then the HTTP part through nock as for a
 * transcript (src/record/replay.ts). A recorded failure ends in the same error code.
 * The HAR is masked: the replay logs in with the fake user and password, and requests are matched by
 * method, origin, path and parameter names, never by values.
 */
import type { Entry } from 'har-format'
import { authorizeInBrowser } from '../browser/authorize.js'
import { serveRecorded, type RecordedAnswer } from '../browser/har-router.js'
import { openBrowserSession } from '../browser/session.js'
import { ERR, type ErrorCode, HarnessError } from '../errors.js'
import { matchesRedirectUri, parseCallback } from '../oauth/callback.js'
import { FAKE_PASSWORD, FAKE_USERNAME } from '../record/fakes.js'
import { sourceOf, type SfHar } from '../record/har.js'
import { replayTranscript, type ReplayOutcome } from '../record/replay.js'
import { TRANSCRIPT_FORMAT, type TranscriptExchange } from '../record/transcript.js'

export interface HarReplayOutcome extends ReplayOutcome {
  /** The browser part: `ok`, an error code, or `none` (no browser entries in the HAR). */
  readonly browser: string
  /** Browser requests the HAR had no answer for (the replay went another way than the run). */
  readonly misses: readonly string[]
}

export interface HarReplayOptions {
  readonly timeoutMs: number
  readonly browserPath?: string | undefined
}

/** A base32 secret for a recorded authenticator page: any code matches, values are not compared. */
const REPLAY_TOTP_SECRET = 'JBSWY3DPEHPK3PXP'

function answerOf(e: Entry): RecordedAnswer {
  const c = e.response.content
  const body = c.text === undefined ? Buffer.alloc(0) : Buffer.from(c.text, c.encoding === 'base64' ? 'base64' : 'utf8')
  return { method: e.request.method, url: e.request.url, postData: e.request.postData?.text, status: e.response.status, headers: e.response.headers, body }
}

function exchangeOf(e: Entry): TranscriptExchange {
  const error = (e.response as { _error?: unknown })._error
  const answered = e.response.status > 0
  return {
    request: { method: e.request.method, url: e.request.url, headers: Object.fromEntries(e.request.headers.map((h) => [h.name.toLowerCase(), h.value])), body: e.request.postData?.text },
    response: answered ? { status: e.response.status, headers: Object.fromEntries(e.response.headers.map((h) => [h.name.toLowerCase(), h.value])), body: e.response.content.text ?? '' } : undefined,
    error: answered ? undefined : 'recorded failure',
    errorCode: typeof error === 'string' ? error : undefined,
    attempt: /^attempt (\d+)$/.exec(e.comment ?? '')?.[1] === undefined ? 1 : Number(/^attempt (\d+)$/.exec(e.comment ?? '')?.[1]),
    durationMs: e.time,
  }
}

const codeOf = (err: unknown): ErrorCode => (err instanceof HarnessError ? err.code : ERR.INTERNAL_ERROR)

export async function replayHar(har: SfHar, opts: HarReplayOptions): Promise<HarReplayOutcome> {
  const browserEntries = har.log.entries.filter((e) => sourceOf(e) === 'browser')
  const exchanges = har.log.entries.filter((e) => sourceOf(e) === 'harness').map(exchangeOf)
  const info = har.log._sfOauth
  let browserPart = 'none'
  let misses: readonly string[] = []
  if (browserEntries.length > 0) {
    const authorize = browserEntries.find((e) => new URL(e.request.url).pathname.endsWith('/services/oauth2/authorize'))
    if (authorize === undefined) throw new HarnessError('HAR_INVALID', 'the HAR has browser entries but no request to /services/oauth2/authorize: record it again with sf-oauth flow --har FILE')
    const params = new URL(authorize.request.url).searchParams
    const redirectUri = params.get('redirect_uri') ?? ''
    const state = params.get('state') ?? ''
    // The recorded decision: Deny is a form with oadeny.
    const denied = browserEntries.some((e) => e.request.method === 'POST' && new URLSearchParams(e.request.postData?.text ?? '').has('oadeny'))
    const session = await openBrowserSession({ browserPath: opts.browserPath, headless: true, timeoutMs: Math.max(opts.timeoutMs, 30_000) })
    try {
      const page = session.page
      const server = await serveRecorded(page, browserEntries.map(answerOf), (url) => URL.canParse(redirectUri) && new URL(url).origin === new URL(redirectUri).origin)
      try {
        const callbackUrl = await authorizeInBrowser(page, {
          authorizeUrl: authorize.request.url,
          redirectUri,
          username: FAKE_USERNAME,
          password: FAKE_PASSWORD,
          decision: denied ? 'deny' : 'approve',
          timeoutMs: opts.timeoutMs,
          verification: { totpSecret: REPLAY_TOTP_SECRET, codeCommand: undefined },
          settle: false,
        })
        // The recorded state comes back in the recorded callback: the same checks as the run's.
        if (!matchesRedirectUri(callbackUrl, redirectUri)) throw new HarnessError('HAR_INVALID', 'the replayed callback is not at the recorded redirect_uri')
        parseCallback(callbackUrl, { redirectUri, state })
        browserPart = 'ok'
      } catch (err) {
        browserPart = codeOf(err)
        return { ok: false, code: codeOf(err), message: err instanceof Error ? err.message : String(err), calls: [], unused: [], browser: browserPart, misses: server.misses }
      } finally {
        misses = server.misses
        server.dispose()
      }
    } finally {
      await session.close()
    }
  }
  const http = await replayTranscript({
    format: TRANSCRIPT_FORMAT, recordedAt: '', loginUrl: '', clientId: '', expectRefreshToken: info.expectRefreshToken,
    outcome: { ok: info.outcome.ok, code: info.outcome.code, message: undefined }, pages: [], exchanges, screenshots: [],
  })
  return { ...http, browser: browserPart, misses }
}
