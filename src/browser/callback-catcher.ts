/**
 * Catches the redirect to the redirect URI.
 *
 * Headless (`intercept`), the request never leaves the browser: the Chrome DevTools Protocol's request
 * interception (Fetch domain, Request stage) pauses every request to the redirect URI's origin and every
 * document request, and we answer them inside the browser. Whatever listens on the redirect URI's port
 * (a squatter on 127.0.0.1:1717) receives nothing, not even a connection. CDP is needed because
 * `page.route` is not called for redirect hops (playwright#3993, #17161), and the callback is one.
 * https://chromedevtools.github.io/devtools-protocol/tot/Fetch/
 *
 * Headed, a loopback server (callback-server.ts) answers, and we only watch the *request* to the redirect
 * URI, which fires for 302s and JS redirects alike.
 */
import type { CDPSession, Page, Request } from 'playwright'
import { InfraError, ResponseValidationError } from '../errors.js'
import { matchesRedirectUri, originAndPath } from '../oauth/callback.js'

export interface CallbackCatcher {
  /** Resolves with the full callback URL (code or error in its query); rejects on a misdirected callback. */
  readonly url: Promise<string>
  /** The URL if it has come already. */
  current(): string | undefined
  dispose(): void
}

export interface CatchOptions {
  /** Answer the redirect URI inside the browser (CDP), so it is never requested over the network. */
  readonly intercept: boolean
  /** The `state` sent: a navigation carrying it with a code or an error elsewhere is a misdirected callback. */
  readonly oauthState?: string | undefined
}

/**
 * Callback URLs already handed out per page. A reused page can request an old callback again (Chrome's
 * error page reloads failed navigations); that is not the answer to a new flow.
 */
const delivered = new WeakMap<Page, Set<string>>()

/** What the browser shows at the redirect URI: served by us, from inside the browser. */
const CALLBACK_PAGE = Buffer.from('<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>sf-oauth-harness</title><h1>Authorization received</h1><p>The harness goes on in the terminal; this page was answered inside the browser.</p>').toString('base64')
const CALLBACK_HEADERS = [
  { name: 'content-type', value: 'text/html; charset=utf-8' },
  { name: 'cache-control', value: 'no-store' },
  { name: 'content-security-policy', value: "default-src 'none'" },
  { name: 'referrer-policy', value: 'no-referrer' },
]

interface RequestPaused {
  readonly requestId: string
  readonly request: { readonly url: string; readonly urlFragment?: string }
  readonly frameId: string
  readonly resourceType: string
}

/** Fetch's URL patterns: `*` and `?` are wildcards, `\` escapes. */
function literalPattern(text: string): string {
  return text.replace(/[\\*?]/g, (c) => `\\${c}`)
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

/** A code or error answer to our OAuth `state`, outside the redirect URI: the server sent the callback elsewhere. */
function isStrayCallback(url: string, oauthState: string | undefined): boolean {
  if (oauthState === undefined) return false
  try {
    const q = new URL(url).searchParams
    return q.get('state') === oauthState && (q.has('code') || q.has('error'))
  } catch {
    return false
  }
}

export async function catchCallback(page: Page, redirectUri: string, opts: CatchOptions): Promise<CallbackCatcher> {
  let seen: string | undefined
  let settled = false
  let resolve!: (url: string) => void
  let reject!: (err: Error) => void
  const url = new Promise<string>((ok, fail) => {
    resolve = (u) => { settled = true; ok(u) }
    reject = (e) => { settled = true; fail(e) }
  })
  // Observed by whoever races it; a rejection nobody awaits yet must not end the process.
  url.catch(() => undefined)
  const old = delivered.get(page) ?? new Set<string>()
  delivered.set(page, old)
  const accept = (candidate: string): boolean => {
    if (seen !== undefined || settled || old.has(candidate)) return false
    seen = candidate
    old.add(candidate)
    resolve(candidate)
    return true
  }

  if (!opts.intercept) {
    const onRequest = (req: Request) => {
      if (req.isNavigationRequest() && matchesRedirectUri(req.url(), redirectUri)) accept(req.url())
    }
    page.on('request', onRequest)
    return { url, current: () => seen, dispose: () => page.off('request', onRequest) }
  }

  const origin = originOf(redirectUri)
  const sessions: CDPSession[] = []
  const intercept = async (target: Page, main: boolean): Promise<void> => {
    const session = await target.context().newCDPSession(target)
    sessions.push(session)
    const tree = main ? ((await session.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } }) : undefined
    const mainFrame = tree?.frameTree.frame.id
    // The page may be gone (closed context): nothing waits for an answer then.
    const quietly = (sent: Promise<unknown>) => void sent.catch(() => undefined)
    const block = (requestId: string) => quietly(session.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' }))
    session.on('Fetch.requestPaused', (e: RequestPaused) => {
      const full = e.request.url + (e.request.urlFragment ?? '')
      const document = e.resourceType === 'Document'
      if (matchesRedirectUri(full, redirectUri)) {
        // Only the main frame's navigation is the answer; anything else at the redirect URI is refused.
        if (document && e.frameId === mainFrame) {
          accept(full)
          quietly(session.send('Fetch.fulfillRequest', { requestId: e.requestId, responseCode: 200, responseHeaders: CALLBACK_HEADERS, body: CALLBACK_PAGE }))
        } else {
          block(e.requestId)
        }
      } else if (document && isStrayCallback(full, opts.oauthState)) {
        // A code for us, sent to a URI other than SF_REDIRECT_URI (another path or host): it stays here.
        block(e.requestId)
        if (seen === undefined && !settled) {
          reject(new ResponseValidationError('CALLBACK_URI_MISMATCH', `the authorization server sent the callback to ${originAndPath(full)}, not to SF_REDIRECT_URI ${originAndPath(redirectUri)}: the request was stopped in the browser; check the Callback URL of the app`, { cause: { got: originAndPath(full), expected: originAndPath(redirectUri) } }))
        }
      } else if (originOf(full) === origin) {
        // Nothing else on the redirect URI's origin is ours to ask for.
        block(e.requestId)
      } else {
        quietly(session.send('Fetch.continueRequest', { requestId: e.requestId }))
      }
    })
    await session.send('Fetch.enable', {
      patterns: [
        ...(origin === undefined || origin === 'null' ? [] : [{ urlPattern: `${literalPattern(origin)}/*`, requestStage: 'Request' as const }]),
        { urlPattern: '*', resourceType: 'Document' as const, requestStage: 'Request' as const },
      ],
    })
  }
  try {
    await intercept(page, true)
  } catch (err) {
    for (const s of sessions) s.detach().catch(() => undefined)
    // Fail closed: without interception the browser would send the code to whatever holds the port.
    const reason = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)
    throw new InfraError('CALLBACK_INTERCEPT_FAILED', `cannot intercept the redirect URI inside the browser (${reason}): use Chromium (npm run setup), or run --headed, which serves the callback on its own port`)
  }
  // The flow opens no window, but a page may: cover it from its first redirect hop on (best effort).
  const onPopup = (popup: Page) => {
    intercept(popup, false).catch(() => undefined)
  }
  page.on('popup', onPopup)
  return {
    url,
    current: () => seen,
    dispose: () => {
      page.off('popup', onPopup)
      for (const s of sessions) s.detach().catch(() => undefined)
    },
  }
}
