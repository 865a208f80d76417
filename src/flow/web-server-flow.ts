/**
 * The whole web server flow: authorize URL → browser (login, consent) → callback → token POST → checks.
 * Protocol rules live in src/oauth (pure), network I/O in src/http, pages in src/browser; this module
 * only puts them in order and times each step.
 */
import type { Browser, BrowserContext, Frame, Page } from 'playwright'
import { authorizeInBrowser } from '../browser/authorize.js'
import { startCallbackServer, type CallbackServer } from '../browser/callback-server.js'
import { launchBrowser } from '../browser/launch.js'
import type { VerificationSources } from '../browser/verification.js'
import { existsSync } from 'node:fs'
import { writeFileAtomic } from '../store/atomic.js'
import { exchangeCode } from '../client/operations.js'
import { createHttp, type Exchange, type Http } from '../http/client.js'
import { buildAuthorizeUrl } from '../oauth/authorize-url.js'
import { codeCheck, matchesRedirectUri, parseCallback } from '../oauth/callback.js'
import { createPkce, pkceCheck } from '../oauth/pkce.js'
import { createState } from '../oauth/state.js'
import { scopeAsksForRefreshToken } from '../oauth/token-request.js'
import type { Check, TokenSet } from '../oauth/types.js'
import { redactor } from '../redact.js'
import { runDirectly, type StepRunner } from '../steps.js'
import type { FlowTarget } from '../targets/flow-target.js'

/** The target model lives in src/targets (one `toFlowTarget` makes them); re-exported for the flow's callers. */
export type { FlowTarget } from '../targets/flow-target.js'

export interface StepRecord {
  readonly name: string
  readonly durationMs: number
  readonly detail: string | undefined
}

export type FlowEvent =
  | { readonly type: 'step'; readonly step: StepRecord }
  | { readonly type: 'check'; readonly check: Check }
  | { readonly type: 'exchange'; readonly exchange: Exchange }
  /** The browser's main frame reached this URL (raw: the sink must mask it), the callback included. */
  | { readonly type: 'page'; readonly url: string }

export interface FlowOptions {
  readonly target: FlowTarget
  readonly timeoutMs: number
  /** Use this page (tests hand in Playwright's fixture page); otherwise a context of `browser`, or a new browser. */
  readonly page?: Page
  readonly browser?: Browser
  readonly headless?: boolean
  readonly browserPath?: string | undefined
  readonly decision?: 'approve' | 'deny'
  readonly prompt?: string
  readonly immediate?: boolean
  readonly http?: Http
  readonly onEvent?: (event: FlowEvent) => void
  readonly verification?: VerificationSources
  /** Load cookies from this file before, and save them after a successful run (mode 0600). */
  readonly browserStateFile?: string | undefined
  /** Called with the page when the browser part fails, before it is closed (screenshots for --record). */
  readonly onBrowserFailure?: (page: Page) => Promise<void>
  /** Runs each step (sf-oauth-harness/test: a boxed test.step named by intent); default: the step itself. */
  readonly steps?: StepRunner
}

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
 * Run the OAuth 2.0 web server flow end to end and check every step (Salesforce: "OAuth 2.0 Web Server
 * Flow for Web App Integration"; RFC 6749 §4.1, RFC 7636 PKCE): build the authorize URL with `state` and
 * an S256 challenge, log in and approve in a browser (`opts.page`, a context of `opts.browser`, or a
 * browser of its own), catch the redirect inside the browser, exchange the code once, and validate the
 * answer (fields, signature, instance URL). Every secret seen is registered with the redactor.
 *
 * @returns the token set, the timed steps and the checks that passed.
 * @throws `BROWSER_NOT_FOUND` / `BROWSER_LAUNCH_FAILED` (exit 3); `LOGIN_FAILED`, `IDENTITY_VERIFICATION_*`,
 *   `FLOW_STUCK` from the pages; `AUTHORIZE_*` when Salesforce refuses the authorize request;
 *   `CALLBACK_*` and `STATE_MISMATCH` for a bad redirect; `TOKEN_*` when the token endpoint refuses;
 *   `RESPONSE_*` when its answer fails a check; `NETWORK_*` / `NAVIGATION_*` (exit 3). Codes: docs/errors.md.
 */
export async function runWebServerFlow(opts: FlowOptions): Promise<FlowResult> {
  const { target } = opts
  registerSecrets(target)
  const started = performance.now()
  const steps: StepRecord[] = []
  const checks: Check[] = []
  const emit = (event: FlowEvent) => opts.onEvent?.(event)
  const run = opts.steps ?? runDirectly
  const step = (name: string, durationMs: number, detail?: string) => {
    const record = { name, durationMs: Math.round(durationMs * 10) / 10, detail }
    steps.push(record)
    emit({ type: 'step', step: record })
  }
  const check = (c: Check) => {
    checks.push(c)
    emit({ type: 'check', check: c })
  }
  let t = performance.now()
  const lap = () => {
    const now = performance.now()
    const d = now - t
    t = now
    return d
  }

  const state = createState()
  const pkce = target.pkce ? createPkce() : undefined
  redactor.add(pkce?.verifier)
  const authorizeUrl = buildAuthorizeUrl({
    loginUrl: target.loginUrl,
    clientId: target.clientId,
    redirectUri: target.redirectUri,
    scope: target.scope,
    state,
    codeChallenge: pkce?.challenge,
    prompt: opts.prompt,
    immediate: opts.immediate,
  })
  const opened = authorizeUrl.toString()
  step('build authorize URL', lap(), pkce ? 'state + PKCE S256' : 'state, PKCE off')
  // Checked on the very string the browser is sent to, not on what we meant to build.
  check(pkceCheck(opened, pkce))

  const http = opts.http ?? createHttp({ timeoutMs: opts.timeoutMs, onExchange: (exchange) => emit({ type: 'exchange', exchange }) })
  let browser: Browser | undefined
  let context: BrowserContext | undefined
  let server: CallbackServer | undefined
  let stopWatching = () => undefined as unknown
  try {
    let page = opts.page
    if (page === undefined) {
      if (opts.browser === undefined) {
        // Launching is not a step against Salesforce: never shorter than 30 s, whatever SF_TIMEOUT_MS says.
        browser = await launchBrowser({ browserPath: opts.browserPath, headless: opts.headless ?? true, timeoutMs: Math.max(opts.timeoutMs, 30_000) })
        step('launch browser', lap(), browser.version())
      }
      const state = opts.browserStateFile !== undefined && existsSync(opts.browserStateFile) ? { storageState: opts.browserStateFile } : {}
      // No service worker may answer (or see) a navigation: the callback is caught at the page's network layer.
      context = await (opts.browser ?? browser)?.newContext({ ...state, serviceWorkers: 'block' })
      page = await context?.newPage()
      if (page === undefined) throw new Error('no page')
    }
    if (opts.headless === false) server = await startCallbackServer(target.redirectUri)
    const browserPage = page
    const onNavigated = (f: Frame) => {
      // The callback page (answered inside the browser) is emitted once, below, when it is caught.
      if (f === browserPage.mainFrame() && !matchesRedirectUri(f.url(), target.redirectUri)) emit({ type: 'page', url: f.url() })
    }
    browserPage.on('framenavigated', onNavigated)
    stopWatching = () => browserPage.off('framenavigated', onNavigated)
    t = performance.now()
    const callbackUrl = await authorizeInBrowser(page, {
      authorizeUrl: opened,
      redirectUri: target.redirectUri,
      username: target.username,
      password: target.password,
      decision: opts.decision ?? 'approve',
      timeoutMs: opts.timeoutMs,
      ...(server ? { serverCallback: server.url } : {}),
      // Headless, the redirect URI is answered inside the browser: a process on its port gets nothing.
      intercept: server === undefined,
      onStep: (name, durationMs, detail) => step(name, durationMs, detail),
      ...(opts.steps ? { steps: opts.steps } : {}),
      ...(opts.verification ? { verification: opts.verification } : {}),
      // Our own context is closed right after: no need to wait for the callback's error page.
      settle: context === undefined,
    }).catch(async (err: unknown) => {
      await opts.onBrowserFailure?.(browserPage).catch(() => undefined)
      throw err
    })
    // The page sequence ends at the callback: the browser's own failing load of it (chrome-error://)
    // may still commit after the catcher returned, and is not a page of the flow.
    stopWatching()
    emit({ type: 'page', url: callbackUrl })
    t = performance.now()
    // The code is a secret from the moment it exists; register it before parsing can throw.
    const rawCode = new URL(callbackUrl).searchParams.get('code')
    redactor.add(rawCode)
    const callback = parseCallback(callbackUrl, { redirectUri: target.redirectUri, state })
    step('parse callback', lap(), 'state matches')
    check({ name: 'state', status: 'pass', detail: 'the callback echoes the state sent' })
    check(codeCheck(callback))
    const ctx = context ?? page.context()
    if (opts.browserStateFile !== undefined) await writeFileAtomic(opts.browserStateFile, JSON.stringify(await ctx.storageState()), 0o600)
    if (context) {
      await context.close()
      context = undefined
    }

    const processed = await run('token request', () => exchangeCode({ http, secrets: redactor }, target, callback, {
      verifier: pkce?.verifier,
      expectRefreshToken: scopeAsksForRefreshToken(target.scope),
      onAnswer: async (res) => {
        step('token request', lap(), `HTTP ${res.status}`)
        await run(`→ HTTP ${res.status}`, () => Promise.resolve())
      },
    }))
    step('validate token response', lap(), `${processed.checks.length} checks`)
    await run(`validate: ${processed.checks.length} checks`, async () => {
      for (const c of processed.checks) await run(`${c.name}: ${c.status}, ${c.detail}`, () => Promise.resolve())
    })
    processed.checks.forEach(check)
    return { tokens: processed.tokens, steps, checks, durationMs: Math.round(performance.now() - started) }
  } finally {
    stopWatching()
    await context?.close().catch(() => undefined)
    await browser?.close().catch(() => undefined)
    await server?.close()
    if (opts.http === undefined) await http.close()
  }
}
