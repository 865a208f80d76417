/**
 * Catches the redirect to the redirect URI. `page.route` is not called for redirect hops (playwright#3993,
 * #17161), so we wait for the *request* to the redirect URI, which fires for 302s and JS redirects alike.
 * Nothing needs to listen on the redirect URI: we have the URL before the browser tries to load it.
 */
import type { Page, Request } from 'playwright'
import { matchesRedirectUri } from '../oauth/callback.js'

export interface CallbackCatcher {
  /** Resolves with the full callback URL (code or error in its query). */
  readonly url: Promise<string>
  /** The URL if it has come already. */
  current(): string | undefined
  dispose(): void
}

/**
 * Callback URLs already handed out per page. A reused page can request an old callback again (Chrome's
 * error page reloads failed navigations); that is not the answer to a new flow.
 */
const delivered = new WeakMap<Page, Set<string>>()

export function catchCallback(page: Page, redirectUri: string): CallbackCatcher {
  let seen: string | undefined
  let resolve!: (url: string) => void
  const url = new Promise<string>((r) => (resolve = r))
  const old = delivered.get(page) ?? new Set<string>()
  delivered.set(page, old)
  const onRequest = (req: Request) => {
    if (seen === undefined && req.isNavigationRequest() && matchesRedirectUri(req.url(), redirectUri) && !old.has(req.url())) {
      seen = req.url()
      old.add(seen)
      resolve(seen)
    }
  }
  page.on('request', onRequest)
  return {
    url,
    current: () => seen,
    dispose: () => page.off('request', onRequest),
  }
}
