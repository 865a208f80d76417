/**
 * Drives the browser from the authorize URL to the callback: login (one- or two-step), identity
 * verification, consent. Each state is recognised by Salesforce's own element ids; waits are web-first
 * (locators and navigation events), never sleeps. The code never leaves this module except inside the
 * callback URL, which only parseCallback() may open.
 */
import type { Frame, Page } from 'playwright'
import { BrowserFlowError, InfraError, type AuthorizationError } from '../errors.js'
import { authorizeRefusalError, isErrorPage, processAuthorizeResponse } from '../oauth/authorize-response.js'
import { redactor } from '../redact.js'
import { runDirectly, type StepRunner } from '../steps.js'
import { catchCallback, type CallbackCatcher } from './callback-catcher.js'
import { ConsentPage } from './pages/consent-page.js'
import { LoginPage } from './pages/login-page.js'
import { fillSecret } from './secret-input.js'
import { verificationCode, type VerificationSources } from './verification.js'

export interface BrowserAuthorizeOptions {
  readonly authorizeUrl: string
  readonly redirectUri: string
  readonly username: string
  readonly password: string
  /** Click Allow (default) or Deny on "Allow Access?". */
  readonly decision?: 'approve' | 'deny'
  readonly timeoutMs: number
  /** A loopback callback server's promise (headed runs); raced with the request catcher. */
  readonly serverCallback?: Promise<string>
  /**
   * Answer the request to the redirect URI inside the browser (default true), so nothing listening on its
   * port receives the code. Headed runs with a callback server pass false.
   */
  readonly intercept?: boolean
  readonly onStep?: (name: string, durationMs: number, detail?: string) => void
  /** Runs each page step (Playwright Test: a boxed test.step); default: the step itself. */
  readonly steps?: StepRunner
  /** Where identity verification codes come from (SF_TOTP_SECRET, SF_VERIFICATION_CODE_COMMAND). */
  readonly verification?: VerificationSources
  /**
   * Wait for the browser to finish its failing load of the callback before returning (default true), so a
   * reused page starts its next flow clean. A caller that closes the context at once passes false.
   */
  readonly settle?: boolean
}

type State =
  | { kind: 'callback'; url: string }
  | { kind: 'login'; seen: ReadonlySet<string> }
  | { kind: 'login-error' }
  | { kind: 'consent' }
  | { kind: 'verification'; method: 'email' | 'totp' | 'sms' }
  | { kind: 'error-page'; url: string }
  | { kind: 'plain-error'; text: string }

const MARKERS = '#username, #password, input#oaapprove, #emc, #tc, #smc, body > pre'
/** What nextState() tells apart, read from the page in one round trip instead of one per element. */
const CLASSIFY = `${MARKERS}, div#error.loginError`
const MAX_PAGES = 10
const MAX_PAGE_TEXT = 4096

/** Returns the callback URL (with `code` or `error`). */
export async function authorizeInBrowser(page: Page, opts: BrowserAuthorizeOptions): Promise<string> {
  const catcher = await catchCallback(page, opts.redirectUri, { intercept: opts.intercept !== false, state: stateOf(opts.authorizeUrl) })
  const callback = opts.serverCallback ? Promise.race([catcher.url, opts.serverCallback]) : catcher.url
  const login = new LoginPage(page)
  const consent = new ConsentPage(page)
  const run = opts.steps ?? runDirectly
  let t = performance.now()
  const step = (name: string, detail?: string) => {
    const now = performance.now()
    opts.onStep?.(name, now - t, detail)
    t = now
  }
  try {
    await run('authorize: open the authorize URL', async () => { for (let attempt = 1; ; attempt++) {
      try {
        await page.goto(opts.authorizeUrl, { timeout: opts.timeoutMs, waitUntil: 'commit' })
        break
      } catch (err) {
        // Already approved and logged in: the first hop can be the callback, which nothing serves.
        if (catcher.current() !== undefined) break
        // A reused page may still be failing its previous callback load (chrome-error): go again once.
        if (attempt < 3 && err instanceof Error && err.message.includes('interrupted by another navigation')) {
          await page.goto('about:blank').catch(() => undefined)
          continue
        }
        throw navigationError(err, opts.timeoutMs)
      }
    } })
    step('open authorize URL')
    let submittedLogin = false
    let verified = false
    for (let i = 0; i < MAX_PAGES; i++) {
      const state = await nextState(page, catcher, callback, opts.timeoutMs)
      switch (state.kind) {
        case 'callback':
          step('callback', 'redirect to SF_REDIRECT_URI caught')
          await run('callback: redirect to SF_REDIRECT_URI caught', async () => { if (opts.settle !== false) await settle(page, opts.redirectUri) })
          return state.url
        case 'login-error':
          throw await login.failure()
        case 'login':
          if (submittedLogin && (await login.error.isVisible())) throw await login.failure()
          {
            let mode = ''
            await run('login: username and password', () => afterNavigation(page, callback, opts.timeoutMs, async () => {
              mode = await login.login(opts.username, opts.password, opts.timeoutMs, state.seen)
            }))
            submittedLogin = true
            step('login', mode === 'two-step' ? 'username, then password (two-step page)' : mode === 'one-step' ? 'username and password' : 'password')
          }
          break
        case 'consent':
          await run(`consent: ${opts.decision === 'deny' ? 'Deny' : 'Allow'}`, () => afterNavigation(page, callback, opts.timeoutMs, () => (opts.decision === 'deny' ? consent.reject() : consent.approve())))
          step('consent', opts.decision === 'deny' ? 'clicked Deny' : 'clicked Allow')
          break
        case 'verification': {
          if (state.method === 'sms') {
            throw new BrowserFlowError('IDENTITY_VERIFICATION_REQUIRED', 'Salesforce asks for an SMS code, which cannot be read headless: register an authenticator app (SF_TOTP_SECRET) or email verification instead', { cause: { page: redactor.text(page.url()) } })
          }
          if (verified) {
            throw new BrowserFlowError('IDENTITY_VERIFICATION_FAILED', `Salesforce refused the ${state.method === 'totp' ? 'authenticator' : 'email'} code: check ${state.method === 'totp' ? 'SF_TOTP_SECRET and the machine clock' : 'SF_VERIFICATION_CODE_COMMAND prints the newest code'}`, { cause: { page: redactor.text(page.url()) } })
          }
          const method = state.method
          await run(`identity verification: ${method === 'totp' ? 'authenticator code' : 'emailed code'}`, async () => {
            const code = await verificationCode(method, opts.verification ?? {}, opts.timeoutMs)
            const input = page.locator(method === 'totp' ? '#tc' : '#emc')
            await fillSecret(input, code)
            const remember = page.locator('#RememberDeviceCheckbox, #save-device-checkbox').first()
            if (await remember.isVisible()) await remember.check()
            await afterNavigation(page, callback, opts.timeoutMs, () => page.locator('#save').click())
          })
          verified = true
          step('identity verification', state.method === 'totp' ? 'authenticator code (TOTP)' : 'emailed code from SF_VERIFICATION_CODE_COMMAND')
          break
        }
        case 'error-page':
          throw await errorPageError(page, state.url, opts.redirectUri)
        case 'plain-error':
          throw plainTextError(state.text, opts.redirectUri)
      }
    }
    throw new BrowserFlowError('FLOW_STUCK', `the browser went through ${MAX_PAGES} pages without reaching SF_REDIRECT_URI: run with --headed to watch, or --record DIR to capture`, { cause: { page: redactor.text(page.url()) } })
  } finally {
    catcher.dispose()
  }
}

function stateOf(authorizeUrl: string): string | undefined {
  try {
    return new URL(authorizeUrl).searchParams.get('state') ?? undefined
  } catch {
    return undefined
  }
}

/**
 * Let the browser finish its load of the callback URL, so a reused page starts the next flow clean. It is
 * answered inside the browser (or by the headed callback server), or fails into an error page at once.
 */
async function settle(page: Page, redirectUri: string): Promise<void> {
  const done = () => page.url().startsWith('chrome-error:') || page.url().startsWith(redirectUri)
  if (done()) return
  await page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() && done(), timeout: 2_000 }).catch(() => undefined)
}

/** Run an action that submits a form and wait until the page has navigated (or the callback came). */
async function afterNavigation(page: Page, callback: Promise<string>, timeoutMs: number, action: () => Promise<void>): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: timeoutMs })
  navigated.catch(() => undefined)
  const stuck = (err: unknown): never => {
    if (isTimeout(err)) {
      throw new InfraError('CALLBACK_TIMEOUT', `the browser did not reach SF_REDIRECT_URI within ${timeoutMs} ms (stuck after submitting ${pageWhere(page)}): raise SF_TIMEOUT_MS, or run with --headed to see the page`, { page: pageWhere(page) })
    }
    throw navigationError(err, timeoutMs)
  }
  let actionFailed = false
  const acted = action()
  acted.catch(() => (actionFailed = true))
  // A click waits until the navigation it starts has committed, however slow the server: wait for that
  // no longer than for the navigation itself (SF_TIMEOUT_MS), not until the server answers.
  await Promise.race([acted, navigated.then(() => acted)]).catch((err: unknown) => {
    if (actionFailed) throw err
    stuck(err)
  })
  await Promise.race([navigated, callback]).catch(stuck)
}

async function nextState(page: Page, catcher: CallbackCatcher, callback: Promise<string>, timeoutMs: number): Promise<State> {
  const seen = catcher.current()
  if (seen !== undefined) return { kind: 'callback', url: seen }
  const onPage = page.locator(MARKERS).first().waitFor({ state: 'visible', timeout: timeoutMs }).then(() => 'page' as const)
  // The error page has none of the markers: watch commits for its URL. A listener rather than
  // waitForURL, which would outlive this call by up to timeoutMs on every page of every flow.
  let onCommit: ((frame: Frame) => void) | undefined
  const onErrorPage = new Promise<'error-page'>((resolve) => {
    onCommit = (frame) => {
      if (frame === page.mainFrame() && isErrorPage(frame.url())) resolve('error-page')
    }
    page.on('framenavigated', onCommit)
    if (isErrorPage(page.url())) resolve('error-page')
  })
  const onCallback = callback.then((url) => ({ url }))
  onPage.catch(() => undefined)
  let winner: 'page' | 'error-page' | { url: string }
  try {
    winner = await Promise.race([onCallback, onPage, onErrorPage])
  } catch (err) {
    const url = catcher.current()
    if (url !== undefined) return { kind: 'callback', url }
    if (isTimeout(err)) {
      throw new InfraError('CALLBACK_TIMEOUT', `the browser did not reach SF_REDIRECT_URI within ${timeoutMs} ms (stuck at ${pageWhere(page)}): raise SF_TIMEOUT_MS, or run with --headed to see the page`, { page: pageWhere(page) })
    }
    throw navigationError(err, timeoutMs)
  } finally {
    if (onCommit) page.off('framenavigated', onCommit)
  }
  if (typeof winner === 'object') return { kind: 'callback', url: winner.url }
  if (winner === 'error-page' || isErrorPage(page.url())) return { kind: 'error-page', url: page.url() }
  const visible = await visibleMarkers(page)
  // The page went away between the wait and the look (a redirect): look at the next one.
  if (visible === undefined) return nextState(page, catcher, callback, timeoutMs)
  if (visible.has('emc')) return { kind: 'verification', method: 'email' }
  if (visible.has('tc')) return { kind: 'verification', method: 'totp' }
  if (visible.has('smc')) return { kind: 'verification', method: 'sms' }
  if (visible.has('oaapprove')) return { kind: 'consent' }
  if (visible.has('username') || visible.has('password')) return visible.has('loginError') ? { kind: 'login-error' } : { kind: 'login', seen: visible }
  // A page's text is outside input: only the start is read (Salesforce's answer is one short line).
  const text = ((await page.locator('body > pre').first().textContent()) ?? '').slice(0, MAX_PAGE_TEXT)
  return { kind: 'plain-error', text }
}

/**
 * Which of the markers are visible, as Playwright's isVisible() judges it (a non-empty box and not
 * visibility:hidden), in one evaluation: each isVisible() is a browser round trip of 5-15 ms here.
 * `undefined` when the page navigated meanwhile.
 */
async function visibleMarkers(page: Page): Promise<ReadonlySet<string> | undefined> {
  try {
    const keys = await page.locator(CLASSIFY).evaluateAll((els) =>
      els
        .filter((el) => {
          const box = el.getBoundingClientRect()
          return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden'
        })
        .map((el) => (el.tagName === 'PRE' ? 'pre' : el.classList.contains('loginError') ? 'loginError' : el.id)),
    )
    return new Set(keys)
  } catch (err) {
    if (err instanceof Error && /context was destroyed|navigat/i.test(err.message)) return undefined
    throw err
  }
}

function pageWhere(page: Page): string {
  try {
    const u = new URL(page.url())
    return u.origin === 'null' ? page.url().slice(0, 40) : u.origin + u.pathname
  } catch {
    return 'an unknown page'
  }
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && err.name === 'TimeoutError'
}

function navigationError(err: unknown, timeoutMs: number): Error {
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return err
  if (isTimeout(err)) return new InfraError('NAVIGATION_TIMEOUT', `a page did not load within ${timeoutMs} ms: raise SF_TIMEOUT_MS or check SF_LOGIN_URL`)
  const first = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)
  const net = /net::(ERR_[A-Z_]+)/.exec(first)?.[1]
  return new InfraError('NAVIGATION_FAILED', `the browser could not load the login host (${net ?? redactor.text(first)}): check SF_LOGIN_URL and the network`)
}

/**
 * `/setup/secur/RemoteAccessErrorPage.apexp?error=…&error_description=…` (docs/salesforce-oauth.md §1.5c). Its text is read
 * only when the URL names no error; the page shows `<error> : <description>`.
 */
async function errorPageError(page: Page, url: string, redirectUri: string): Promise<AuthorizationError> {
  const named = URL.canParse(url) && new URL(url).searchParams.has('error')
  const pageText = named ? undefined : await page.locator('body').innerText({ timeout: 5_000 }).then((t) => t.slice(0, MAX_PAGE_TEXT), () => undefined)
  return refusal(processAuthorizeResponse({ from: 'url', url, pageText }, redirectUri), 'OAUTH_APPROVAL_ERROR_GENERIC', 'error-page')
}

/** The plain-text answer to a bad client_id or redirect_uri (docs/salesforce-oauth.md §1.5b): no redirect at all. */
function plainTextError(text: string, redirectUri: string): AuthorizationError {
  return refusal(processAuthorizeResponse({ from: 'text', text }, redirectUri), 'unknown_error', 'plain-error')
}

/** The refusal's typed error; text that is no refusal Salesforce gives is named `fallback`. */
function refusal(answer: ReturnType<typeof processAuthorizeResponse>, fallback: string, kind: 'error-page' | 'plain-error'): AuthorizationError {
  if (answer.kind === kind) return authorizeRefusalError(answer)
  return authorizeRefusalError({ kind, error: fallback, description: undefined, location: undefined })
}
