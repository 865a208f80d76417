/**
 * The HAR of a run (HTTP Archive 1.2, http://www.softwareishard.com/blog/har-12-spec/): every browser
 * page and redirect hop (Playwright's recordHar) plus the harness's own HTTP calls, masked like a
 * transcript (src/record/mask.ts): passwords, codes, verifiers, tokens, client secrets and cookie values
 * become known fakes in URLs, headers, post data and bodies. Page bodies are kept (masked): they are what a
 * bug report needs. Custom fields start with `_`, as HAR 1.2 allows: `log._sfOauth` holds the run's
 * outcome, each entry's `_source` says who sent it (browser or harness). Pure code: no I/O.
 */
import type { Content, Cookie, Entry, Har, Header, Log, PostData, QueryString } from 'har-format'
import { HarnessError } from '../errors.js'
import type { Exchange } from '../http/client.js'
import { Masker, type KnownValues } from './mask.js'

export const HAR_FILE = 'flow.har'
export const HAR_FORMAT = 'sf-oauth-har/1'
const FAKE_COOKIE = 'FAKE'

export interface HarRunInfo {
  readonly format: typeof HAR_FORMAT
  readonly outcome: { readonly ok: boolean; readonly code: string | undefined }
  /** The code exchange asked for a refresh scope, so a missing refresh_token is an error. */
  readonly expectRefreshToken: boolean
}

export type SfHar = Har & { log: Log & { _sfOauth: HarRunInfo } }
export type EntrySource = 'browser' | 'harness'

/** A harness exchange and the wall-clock time it ended (the client reports durations only). */
export interface TimedExchange {
  readonly exchange: Exchange
  readonly endedAt: number
}

export interface HarRun {
  readonly known: KnownValues
  /** Playwright's raw HAR of the browser part (unmasked), when there was a browser part. */
  readonly browser: Har | undefined
  readonly exchanges: readonly TimedExchange[]
  readonly outcome: { readonly ok: boolean; readonly code: string | undefined }
  readonly expectRefreshToken: boolean
}

const TEXTUAL = /^(text\/|application\/(?:[\w.+-]+\+)?(?:json|xml|javascript|x-www-form-urlencoded))/i

function headerList(h: Readonly<Record<string, string>>): Header[] {
  return Object.entries(h).map(([name, value]) => ({ name, value }))
}

/** `a=1; b=2` or `sid=…; Path=/; HttpOnly`: every cookie value replaced, the attributes kept. */
function maskCookieHeader(name: string, value: string): string {
  if (name === 'cookie') return value.split(/;\s*/).map((p) => `${p.split('=')[0] ?? ''}=${FAKE_COOKIE}`).join('; ')
  // set-cookie: one cookie per line in a HAR (Chromium joins several with \n).
  return value.split('\n').map((line) => {
    const [first = '', ...attrs] = line.split(';')
    return [`${first.split('=')[0] ?? ''}=${FAKE_COOKIE}`, ...attrs].join(';')
  }).join('\n')
}

class HarMasker {
  constructor(readonly m: Masker) {}

  /** A Location may be relative: masked as the absolute URL it resolves to, then made relative again. */
  location(value: string, base: string): string {
    if (URL.canParse(value)) return this.m.url(value)
    if (!URL.canParse(value, base)) return this.m.text(value)
    const abs = new URL(value, base)
    const masked = this.m.url(abs.toString())
    return URL.canParse(masked) ? masked.slice(new URL(masked).origin.length) : masked
  }

  headers(list: readonly Header[], base: string): Header[] {
    return list.map((h) => {
      const name = h.name.toLowerCase()
      if (name === 'cookie' || name === 'set-cookie') return { ...h, value: maskCookieHeader(name, h.value) }
      if (name === 'location') return { ...h, value: this.location(h.value, base) }
      if (name === 'referer' || name === 'origin') return { ...h, value: URL.canParse(h.value) ? this.m.url(h.value) : this.m.text(h.value) }
      // authorization and the rest: the transcript's header masking, one header at a time.
      return { ...h, value: this.m.headers({ [name]: h.value })[name] ?? '' }
    })
  }

  cookies(list: readonly Cookie[] | undefined): Cookie[] {
    return (list ?? []).map((c) => ({ ...c, value: FAKE_COOKIE }))
  }

  query(url: string): QueryString[] {
    if (!URL.canParse(url)) return []
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }))
  }

  postData(p: PostData | undefined): PostData | undefined {
    if (p === undefined) return undefined
    // HAR 1.2: text and params exclude each other; the text is kept (a form's names are read from it).
    const params = (p as { params?: { name: string; value?: string }[] }).params ?? []
    const text = p.text !== undefined ? this.m.body(p.text, p.mimeType) ?? '' : new URLSearchParams(params.map((x) => [x.name, x.value ?? ''])).toString()
    return { mimeType: p.mimeType, text: p.text !== undefined ? text : this.m.form(text) }
  }

  content(c: Content): Content {
    const { text, encoding, ...rest } = c
    if (text === undefined) return { ...rest }
    if (encoding === 'base64') {
      if (!TEXTUAL.test(c.mimeType)) return c
      const masked = this.m.body(Buffer.from(text, 'base64').toString('utf8'), c.mimeType) ?? ''
      return { ...rest, size: Buffer.byteLength(masked), text: masked }
    }
    const masked = this.m.body(text, c.mimeType) ?? ''
    return { ...rest, size: Buffer.byteLength(masked), text: masked }
  }

  entry(e: Entry, source: EntrySource): Entry & { _source: EntrySource } {
    // Answer first: a token or code is faked where it was issued, then found again in later requests.
    const url = this.m.url(e.request.url)
    const response = {
      ...e.response,
      cookies: this.cookies(e.response.cookies),
      headers: this.headers(e.response.headers, e.request.url),
      content: this.content(e.response.content),
      redirectURL: e.response.redirectURL === '' ? '' : this.location(e.response.redirectURL, e.request.url),
    }
    const postData = this.postData(e.request.postData)
    const request = {
      ...e.request,
      url,
      cookies: this.cookies(e.request.cookies),
      headers: this.headers(e.request.headers, e.request.url),
      queryString: this.query(url),
      ...(postData === undefined ? {} : { postData }),
    }
    return { ...e, request, response, _source: source }
  }
}

/** A harness exchange as a HAR entry (unmasked; masked with the browser's entries). */
function exchangeEntry({ exchange: x, endedAt }: TimedExchange): Entry {
  const started = endedAt - x.durationMs
  const reqType = x.request.headers['content-type']
  const res = x.response
  const resType = res?.headers['content-type'] ?? ''
  return {
    startedDateTime: new Date(started).toISOString(),
    time: Math.max(0, x.durationMs),
    request: {
      method: x.request.method,
      url: x.request.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(x.request.headers),
      queryString: [],
      ...(x.request.body === undefined ? {} : { postData: { mimeType: reqType ?? 'application/octet-stream', text: x.request.body } }),
      headersSize: -1,
      bodySize: x.request.body === undefined ? 0 : Buffer.byteLength(x.request.body),
    },
    // No answer (time-out, reset): status 0, as browsers' HARs write a failed request; `_error` says why.
    response: {
      status: res?.status ?? 0,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: res === undefined ? [] : headerList(res.headers),
      content: { size: res === undefined ? 0 : Buffer.byteLength(res.body), mimeType: resType, ...(res === undefined ? {} : { text: res.body }) },
      redirectURL: res?.headers.location ?? '',
      headersSize: -1,
      bodySize: res === undefined ? 0 : Buffer.byteLength(res.body),
      ...(x.errorCode === undefined ? {} : { _error: x.errorCode }),
    },
    cache: {},
    timings: { send: 0, wait: Math.max(0, x.durationMs), receive: 0 },
    ...(x.attempt > 1 ? { comment: `attempt ${x.attempt}` } : {}),
  }
}

/** The run's HAR: browser entries then the harness's calls, in time order, every value masked. */
export function buildHar(run: HarRun): SfHar {
  const hm = new HarMasker(new Masker(run.known))
  const browser = (run.browser?.log.entries ?? []).map((e) => hm.entry(e, 'browser'))
  const harness = run.exchanges.map((x) => hm.entry(exchangeEntry(x), 'harness'))
  const entries = [...browser, ...harness].sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime))
  const pages = (run.browser?.log.pages ?? []).map((p) => ({ ...p, title: hm.m.text(p.title) }))
  return {
    log: {
      version: '1.2',
      creator: { name: 'sf-oauth-harness', version: '1', comment: 'masked: secrets are known fakes (FAKE), cookie values FAKE' },
      ...(run.browser?.log.browser === undefined ? {} : { browser: run.browser.log.browser }),
      pages,
      entries,
      comment: run.outcome.ok ? 'sf-oauth flow: ok' : `sf-oauth flow: failed with ${run.outcome.code ?? 'an error'}`,
      _sfOauth: { format: HAR_FORMAT, outcome: run.outcome, expectRefreshToken: run.expectRefreshToken },
    },
  }
}

/** A HAR file is outside input: enough is checked for a replay to use it, and only that is kept. */
export function parseHar(text: string, where: string): SfHar {
  const bad = (problem: string): never => {
    throw new HarnessError('HAR_INVALID', `${where} is not a usable sf-oauth HAR: ${problem}; record one with sf-oauth flow --har FILE (or --record DIR)`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return bad('it is not JSON')
  }
  const log = (data as { log?: unknown } | null)?.log as { entries?: unknown; _sfOauth?: { format?: unknown; outcome?: unknown } } | undefined
  if (typeof log !== 'object' || !Array.isArray(log.entries)) return bad('log.entries is missing')
  const info = log._sfOauth
  if (info?.format !== HAR_FORMAT || typeof info.outcome !== 'object' || info.outcome === null) return bad(`log._sfOauth.format is not "${HAR_FORMAT}"`)
  ;(log.entries as (Partial<Entry> | undefined)[]).forEach((e, i) => {
    const r = e?.request
    const s = e?.response
    if (typeof r?.method !== 'string' || typeof r.url !== 'string' || !URL.canParse(r.url)) bad(`entry ${i} has no request method and URL`)
    if (typeof s?.status !== 'number' || !Array.isArray(s.headers) || typeof s.content !== 'object') bad(`entry ${i} has no response status, headers and content`)
  })
  return data as SfHar
}

/** Who sent an entry (a HAR written by another tool: the browser). */
export function sourceOf(e: Entry): EntrySource {
  return (e as { _source?: unknown })._source === 'harness' ? 'harness' : 'browser'
}
