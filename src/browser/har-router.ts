/**
 * Serves recorded answers to a real browser, offline: every request of the page is paused with the
 * Chrome DevTools Protocol's Fetch domain and answered from a recording; nothing reaches the network.
 * CDP rather than `page.route` / `routeFromHAR`, because Playwright's routes are not called for redirect
 * hops (playwright#3993), and a login is a chain of them (the same reason as callback-catcher.ts).
 *
 * The recording is masked (passwords, codes, tokens are fakes), so values cannot match: a request is
 * matched by method, origin and path, and the names of its query and form parameters. Requests with the
 * same key are answered in recorded order; past the last one the last answer is given again (a browser may
 * ask twice). A request with no recorded answer fails as if the network were down.
 * https://chromedevtools.github.io/devtools-protocol/tot/Fetch/
 */
import type { Page } from 'playwright'
import { InfraError } from '../errors.js'

export interface RecordedAnswer {
  readonly method: string
  readonly url: string
  /** The request body as recorded (its parameter names count for a form). */
  readonly postData: string | undefined
  readonly status: number
  readonly headers: readonly { readonly name: string; readonly value: string }[]
  readonly body: Buffer
}

export interface RecordedServer {
  /** Requests that found no recorded answer (method, origin and path; values left out). */
  readonly misses: readonly string[]
  dispose(): void
}

/** Headers the browser must work out for itself from the body it is given. */
const DROP = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'])

function names(params: URLSearchParams): string {
  return [...new Set([...params.keys()])].sort().join(',')
}

/** The match key: method, origin + path, query parameter names, form parameter names. */
export function requestKey(method: string, url: string, postData: string | undefined): string {
  const u = new URL(url)
  const form = postData !== undefined && method !== 'GET' ? names(new URLSearchParams(postData)) : ''
  return `${method.toUpperCase()} ${u.origin}${u.pathname} ?${names(u.searchParams)} &${form}`
}

interface Paused {
  readonly requestId: string
  readonly request: { readonly url: string; readonly method: string; readonly postData?: string }
}

/** Answer the page's requests from `answers`; requests `passThrough` accepts are left to other handlers (the callback catcher). */
export async function serveRecorded(page: Page, answers: readonly RecordedAnswer[], passThrough: (url: string) => boolean): Promise<RecordedServer> {
  const queues = new Map<string, { list: RecordedAnswer[]; next: number }>()
  for (const a of answers) {
    const key = requestKey(a.method, a.url, a.postData)
    const q = queues.get(key) ?? { list: [], next: 0 }
    q.list.push(a)
    queues.set(key, q)
  }
  const misses: string[] = []
  let session
  try {
    session = await page.context().newCDPSession(page)
  } catch (err) {
    throw new InfraError('CALLBACK_INTERCEPT_FAILED', `cannot serve the recorded pages inside the browser (${err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)}): replay needs Chromium (npm run setup)`)
  }
  const s = session
  const quietly = (sent: Promise<unknown>) => void sent.catch(() => undefined)
  s.on('Fetch.requestPaused', (e: Paused) => {
    const { url, method, postData } = e.request
    if (passThrough(url)) {
      quietly(s.send('Fetch.continueRequest', { requestId: e.requestId }))
      return
    }
    const q = URL.canParse(url) ? queues.get(requestKey(method, url, postData)) : undefined
    const answer = q === undefined ? undefined : q.list[Math.min(q.next++, q.list.length - 1)]
    if (answer === undefined || answer.status < 100) {
      if (answer === undefined) misses.push(`${method} ${URL.canParse(url) ? new URL(url).origin + new URL(url).pathname : 'a request'}`)
      quietly(s.send('Fetch.failRequest', { requestId: e.requestId, errorReason: 'InternetDisconnected' }))
      return
    }
    quietly(s.send('Fetch.fulfillRequest', {
      requestId: e.requestId,
      responseCode: answer.status,
      // One Set-Cookie per header (a HAR may join several with a line break, as Chromium reports them).
      responseHeaders: answer.headers.filter((h) => !DROP.has(h.name.toLowerCase()) && !h.name.startsWith(':')).flatMap((h) => h.value.split('\n').map((value) => ({ name: h.name, value }))),
      body: answer.body.toString('base64'),
    }))
  })
  await s.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] })
  return { misses, dispose: () => void s.detach().catch(() => undefined) }
}
