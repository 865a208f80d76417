/**
 * A browser session: the browser, the context and the page one flow runs in, and what outlives them
 * (the browser storage state file, the headed callback server). The only module that launches a
 * browser for a flow or opens a context (lint rule `layers/only-the-session-opens-browsers`), so the
 * web server flow, the pool and `check --flow` get the same context settings and the same clean-up.
 * It knows nothing of OAuth: the protocol flow (src/flow/web-server-flow.ts) hands it an authorize URL
 * and gets a callback URL back.
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright'
import { InfraError } from '../errors.js'
import { writeFileAtomic } from '../store/atomic.js'
import { startCallbackServer, type CallbackServer } from './callback-server.js'
import type { ProxySettings } from '../http/client.js'
import { browserProxy } from './proxy.js'
import { findBrowser, launchOptions, rememberBrowser, SETUP_COMMAND } from './launch.js'

/** Launching is not a step against Salesforce: never given less than this, whatever SF_TIMEOUT_MS says. */
export const LAUNCH_TIMEOUT_FLOOR_MS = 30_000

export interface LaunchSettings {
  /** Default true. */
  readonly headless?: boolean | undefined
  /** SF_BROWSER_PATH; otherwise the recorded browser (src/browser/launch.ts). */
  readonly browserPath?: string | undefined
  /** SF_TIMEOUT_MS; the launch gets at least LAUNCH_TIMEOUT_FLOOR_MS. */
  readonly timeoutMs?: number | undefined
}

/**
 * A browser for one session, or one for many (check --flow, the pool's callers, the bench): the caller
 * closes it.
 *
 * @throws `BROWSER_NOT_FOUND` when no browser is found (the message names `npx sf-oauth setup`);
 *   `BROWSER_LAUNCH_FAILED` when the one found does not start (exit 3 both).
 */
export async function launchBrowser(opts: LaunchSettings = {}): Promise<Browser> {
  const choice = findBrowser(opts.browserPath)
  const options = launchOptions({ browserPath: opts.browserPath, headless: opts.headless ?? true })
  let browser: Browser
  try {
    browser = await chromium.launch({ ...options, timeout: Math.max(opts.timeoutMs ?? 0, LAUNCH_TIMEOUT_FLOOR_MS) })
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)
    throw new InfraError('BROWSER_LAUNCH_FAILED', `Chromium did not start (${reason}): run \`${SETUP_COMMAND}\`, or set SF_BROWSER_PATH`, { executablePath: options.executablePath })
  }
  // Started: worth remembering per user, so the next run skips the search (an installed package).
  await rememberBrowser(choice)
  return browser
}

export interface SessionOptions extends LaunchSettings {
  /** Run in this page as it is (Playwright's fixture page); the session closes nothing of it. */
  readonly page?: Page | undefined
  /** Otherwise a new context of this browser (closed with the session); otherwise a browser of its own. */
  readonly browser?: Browser | undefined
  /** Browser storage state (cookies, origin storage) to start a new context from, when the file exists. */
  readonly storageStateFile?: string | undefined
  /**
   * Playwright records a new context as a HAR here, written when the context closes (not for a page
   * handed in). Raw, unmasked: the caller masks it (src/record/har.ts) and removes it.
   */
  readonly har?: string | undefined
  /** The config's proxies (src/config.ts): the proxy of a new context (src/browser/proxy.ts); none for a page handed in. */
  readonly proxies?: ProxySettings | undefined
}

/** How the callback reaches the harness: caught inside the browser, or by the headed callback server. */
export interface CallbackRoute {
  /** Answer the redirect URI inside the browser (headless: nothing on its port gets the code). */
  readonly intercept: boolean
  /** Headed: the loopback callback server's URL, raced with the in-browser catcher. */
  readonly serverCallback?: Promise<string>
}

export interface BrowserSession {
  readonly page: Page
  /** The browser's version when this session launched it (a step of the flow's own), else undefined. */
  readonly launched: string | undefined
  /**
   * The context is the session's own (not the caller's page): endPage() closes it, so a flow that owns
   * the session need not wait for the browser to settle on the callback page.
   */
  readonly ownsContext: boolean
  /** Call `listener` with each URL the main frame reaches, until the returned function is called. */
  watchNavigation(listener: (url: string) => void): () => void
  /** The headed callback server for `redirectUri` when the session is headed, else in-browser catching. */
  callbackRoute(redirectUri: string): Promise<CallbackRoute>
  /** Write the context's storage state to `file` (0600, atomically: it holds session cookies). */
  saveStorageState(file: string): Promise<void>
  /** Forget the login of the last flow: cookies go, origin storage and the HTTP cache stay (pool reuse). */
  clearCookies(): Promise<void>
  /** Done with the page: close the session's own context now (the browser and server stay to close()). */
  endPage(): Promise<void>
  /** Close what the session opened: context, browser, callback server. Safe to call twice. */
  close(): Promise<void>
}

export async function openBrowserSession(opts: SessionOptions): Promise<BrowserSession> {
  let browser: Browser | undefined
  let context: BrowserContext | undefined
  let server: CallbackServer | undefined
  let page = opts.page
  try {
    if (page === undefined) {
      if (opts.browser === undefined) browser = await launchBrowser(opts)
      const storageState = opts.storageStateFile !== undefined && existsSync(opts.storageStateFile) ? { storageState: opts.storageStateFile } : {}
      // No service worker may answer (or see) a navigation: the callback is caught at the page's network layer.
      const har = opts.har === undefined ? {} : { recordHar: { path: opts.har, content: 'embed' as const } }
      const proxy = opts.proxies === undefined ? undefined : browserProxy(opts.proxies)
      context = await (opts.browser ?? browser)?.newContext({ ...storageState, ...har, ...(proxy === undefined ? {} : { proxy }), serviceWorkers: 'block' })
      if (context === undefined) throw new Error('no browser to open a context in')
      page = await context.newPage()
    }
  } catch (err) {
    await context?.close().catch(() => undefined)
    await browser?.close().catch(() => undefined)
    throw err
  }
  const sessionPage = page
  const ownContext = context !== undefined
  const headed = opts.headless === false
  const endPage = async () => {
    const c = context
    context = undefined
    await c?.close().catch(() => undefined)
  }
  return {
    page: sessionPage,
    launched: browser?.version(),
    ownsContext: ownContext,
    watchNavigation(listener) {
      const onNavigated = (f: Frame) => {
        if (f === sessionPage.mainFrame()) listener(f.url())
      }
      sessionPage.on('framenavigated', onNavigated)
      return () => void sessionPage.off('framenavigated', onNavigated)
    },
    async callbackRoute(redirectUri) {
      if (!headed) return { intercept: true }
      await server?.close()
      server = await startCallbackServer(redirectUri)
      return { intercept: false, serverCallback: server.url }
    },
    async saveStorageState(file) {
      await writeFileAtomic(file, JSON.stringify(await sessionPage.context().storageState()), 0o600)
    },
    clearCookies: () => sessionPage.context().clearCookies(),
    endPage,
    async close() {
      await endPage()
      const b = browser
      browser = undefined
      await b?.close().catch(() => undefined)
      const s = server
      server = undefined
      await s?.close()
    },
  }
}
