/**
 * The web server flow, composed: the protocol flow (src/flow/code-flow.ts: state, PKCE, authorize URL,
 * parseCallback, the code exchange, the checks) with a browser session (src/browser/session.ts: browser,
 * context, page, storage state, callback server) as its user agent, driven by the page objects of
 * src/browser/authorize.ts. This module only wires them and owns what it opened.
 */
import type { Browser, Page } from 'playwright'
import { authorizeInBrowser, type BrowserAuthorizeOptions } from '../browser/authorize.js'
import { openBrowserSession, type BrowserSession } from '../browser/session.js'
import type { VerificationSources } from '../browser/verification.js'
import { createHttp, type Http, type ProxySettings } from '../http/client.js'
import { matchesRedirectUri } from '../oauth/callback.js'
import type { Check, TokenSet } from '../oauth/types.js'
import { redactor } from '../redact.js'
import type { FlowTarget } from '../targets/flow-target.js'
import { FlowLog, runCodeFlow, type FlowEvent, type StepRecord } from './code-flow.js'
import type { StepRunner } from '../steps.js'

/** The target model lives in src/targets (one `toFlowTarget` makes them); re-exported for the flow's callers. */
export type { FlowTarget } from '../targets/flow-target.js'
export type { FlowEvent, StepRecord } from './code-flow.js'

/** Options of {@link runWebServerFlow}: the target and, optionally, where the browser part runs. */
export interface FlowOptions {
  readonly target: FlowTarget
  readonly timeoutMs: number
  /**
   * Run in this session (the pool's reused slot) and leave it open. Otherwise a session of the flow's own:
   * in `page` (tests hand in Playwright's fixture page), else in a new context of `browser`, else in a
   * browser launched for this flow.
   */
  readonly session?: BrowserSession
  readonly page?: Page
  readonly browser?: Browser
  readonly headless?: boolean
  readonly browserPath?: string | undefined
  readonly decision?: 'approve' | 'deny'
  readonly prompt?: string
  readonly immediate?: boolean
  readonly http?: Http
  /**
   * The proxies of the config (src/config.ts): for the flow's own HTTP client (no `http` given), and for
   * the browser context it opens (not for a `page` handed in).
   */
  readonly proxies?: ProxySettings | undefined
  readonly onEvent?: (event: FlowEvent) => void
  readonly verification?: VerificationSources
  /** Browser storage state: load cookies from this file into a new context, save them once the callback passed (0600). */
  readonly browserStateFile?: string | undefined
  /** SF_PASSKEY_FILE's credential, for "Log In With a Passkey" (docs/login-pages.md); told the new sign count. */
  readonly passkey?: BrowserAuthorizeOptions['passkey']
  /** Called with the page when the browser part fails, before it is closed (screenshots for --record). */
  readonly onBrowserFailure?: (page: Page) => Promise<void>
  /** Record the browser part as a raw HAR here (see SessionOptions.har); the caller masks and removes it. */
  readonly har?: string | undefined
  /** Runs each step (sf-oauth-harness/test: a boxed test.step named by intent); default: the step itself. */
  readonly steps?: StepRunner
  /** A person logs in at the headed browser (no SF_USERNAME/SF_PASSWORD): the harness waits for them on those pages. */
  readonly person?: { readonly waitMs: number }
}

/** What {@link runWebServerFlow} returns: the validated token set, each step timed, and every check it passed. */
export interface FlowResult {
  readonly tokens: TokenSet
  readonly steps: readonly StepRecord[]
  readonly checks: readonly Check[]
  readonly durationMs: number
}

/** Register the run's secrets with the redactor before anything can print them. */
function registerSecrets(target: FlowTarget): void {
  redactor.add(target.password)
  redactor.add(target.clientSecret)
}

/**
 * The OAuth 2.0 web server flow, checked at every step: `state` and a PKCE S256 pair, the authorize URL
 * opened in a browser (launched, or a context of `browser`, or `page`), login, identity verification and
 * consent walked through the page objects, the callback caught inside the browser and its `state`
 * checked, the code exchanged once, and the answer validated field by field with its signature.
 * Salesforce Help: "OAuth 2.0 Web Server Flow for Web App Integration"; RFC 6749 §4.1; RFC 7636;
 * docs/salesforce-oauth.md §1-§2.
 *
 * @throws `BROWSER_NOT_FOUND`, `BROWSER_LAUNCH_FAILED` when no browser starts; the authorize step's
 *   `AUTHORIZE_*` codes (`AUTHORIZE_ACCESS_DENIED`, `AUTHORIZE_REDIRECT_URI_MISMATCH`, ...);
 *   `LOGIN_FAILED`, `IDENTITY_VERIFICATION_REQUIRED`, `IDENTITY_VERIFICATION_FAILED`, `PASSWORD_EXPIRED`,
 *   `FLOW_STUCK`, `FLOW_UNKNOWN_PAGE`, `CALLBACK_TIMEOUT`, `NAVIGATION_TIMEOUT` in the browser part;
 *   `STATE_MISMATCH`, `CALLBACK_URI_MISMATCH`, `CALLBACK_INVALID` at the callback; the token endpoint's refusals by their OAuth error (`TOKEN_INVALID_GRANT`, `TOKEN_CODE_EXPIRED`, `TOKEN_INVALID_CODE_VERIFIER`, `TOKEN_REFRESH_TOKEN_EXPIRED`, `TOKEN_INVALID_CLIENT_CREDENTIALS`, `TOKEN_REDIRECT_URI_MISMATCH`, ..., `TOKEN_ERROR_UNKNOWN`; docs/errors.md);
 *   `RESPONSE_NOT_JSON`, `RESPONSE_MALFORMED_JSON`, `RESPONSE_FIELD_MISSING`, `RESPONSE_FIELD_TYPE`, `RESPONSE_FIELD_INVALID`, `SIGNATURE_INVALID`, `SERVER_UNAVAILABLE`, `UNEXPECTED_REDIRECT`, `HTTP_STATUS_UNEXPECTED` when the answer is not what Salesforce sends; with openid the `ID_TOKEN_*` codes; `NETWORK_CONNECT_FAILED`, `NETWORK_TIMEOUT`, `NETWORK_ERROR`, `HTTP_PROTOCOL_ERROR`, `RESPONSE_TOO_LARGE` (exit 3).
 */
export async function runWebServerFlow(opts: FlowOptions): Promise<FlowResult> {
  const { target } = opts
  registerSecrets(target)
  const started = performance.now()
  const log = new FlowLog(opts.onEvent)
  const http = opts.http ?? createHttp({ timeoutMs: opts.timeoutMs, proxies: opts.proxies, onExchange: (exchange) => log.emit({ type: 'exchange', exchange }) })
  const ownSession = opts.session === undefined
  let session = opts.session
  try {
    const tokens = await runCodeFlow({ target, http, log, prompt: opts.prompt, immediate: opts.immediate, steps: opts.steps }, {
      authorize: async (authorizeUrl) => {
        // Opened after the authorize URL is built, so a launch is a step of its own.
        session ??= await openBrowserSession({ page: opts.page, browser: opts.browser, headless: opts.headless, browserPath: opts.browserPath, timeoutMs: opts.timeoutMs, storageStateFile: opts.browserStateFile, har: opts.har, proxies: opts.proxies })
        if (ownSession && session.launched !== undefined) log.step('launch browser', log.lap(), session.launched)
        return authorizeWith(session, authorizeUrl, opts, log, ownSession)
      },
      accepted: async () => {
        if (session === undefined) return
        if (opts.browserStateFile !== undefined) await session.saveStorageState(opts.browserStateFile)
        if (ownSession) await session.endPage()
      },
    })
    return { tokens, steps: log.steps, checks: log.checks, durationMs: Math.round(performance.now() - started) }
  } finally {
    if (ownSession) await session?.close()
    if (opts.http === undefined) await http.close()
  }
}

/** Walk the session's page from the authorize URL to the callback (login, verification, consent). */
async function authorizeWith(session: BrowserSession, authorizeUrl: string, opts: FlowOptions, log: FlowLog, ownSession: boolean): Promise<string> {
  const { target } = opts
  const route = await session.callbackRoute(target.redirectUri)
  // The callback page (answered inside the browser) is emitted once, below, when it is caught.
  const stopWatching = session.watchNavigation((url) => {
    if (!matchesRedirectUri(url, target.redirectUri)) log.emit({ type: 'page', url })
  })
  try {
    log.restart()
    const callbackUrl = await authorizeInBrowser(session.page, {
      authorizeUrl,
      redirectUri: target.redirectUri,
      username: target.username,
      password: target.password,
      decision: opts.decision ?? 'approve',
      timeoutMs: opts.timeoutMs,
      ...(route.serverCallback === undefined ? {} : { serverCallback: route.serverCallback }),
      // Headless, the redirect URI is answered inside the browser: a process on its port gets nothing.
      intercept: route.intercept,
      onStep: (name, durationMs, detail) => { log.step(name, durationMs, detail) },
      ...(opts.steps ? { steps: opts.steps } : {}),
      ...(opts.verification ? { verification: opts.verification } : {}),
      // A context of our own is closed right after: no need to wait for the callback's error page.
      settle: !(ownSession && session.ownsContext),
      ...(opts.person === undefined ? {} : { person: opts.person }),
      ...(opts.passkey ? { passkey: opts.passkey } : {}),
      onWarning: (name, detail) => log.check({ name, status: 'warn', detail }),
    }).catch(async (err: unknown) => {
      await opts.onBrowserFailure?.(session.page).catch(() => undefined)
      throw err
    })
    // The page sequence ends at the callback: the browser's own failing load of it (chrome-error://)
    // may still commit after the catcher returned, and is not a page of the flow.
    stopWatching()
    log.emit({ type: 'page', url: callbackUrl })
    return callbackUrl
  } finally {
    stopWatching()
  }
}
