/**
 * Drives the browser from the authorize URL to the callback: login (one- or two-step), identity
 * verification, consent. Each page is recognised by Salesforce's own element ids; waits are web-first
 * (locators and navigation events), never sleeps. The code never leaves this module except inside the
 * callback URL, which only parseCallback() may open.
 */
import type { Frame, Page, Request } from 'playwright'
import { AuthorizationError, BrowserFlowError, InfraError } from '../errors.js'
import { authorizeRefusalError, isErrorPage, processAuthorizeResponse } from '../oauth/authorize-response.js'
import { redactor } from '../redact.js'
import { runDirectly, type StepRunner } from '../steps.js'
import { catchCallback, type CallbackCatcher } from './callback-catcher.js'
import { ConsentPage } from './pages/consent-page.js'
import { LoginPage } from './pages/login-page.js'
import { classify, formFields, KNOWN_PATH, MARKERS, readSignals, type PageKind, type PageSignals } from './pages/recognise.js'
import { continuePastMaintenance, enrolPasskey, skipPhoneRegistration, unknownPageError } from './pages/between-pages.js'
import { addVirtualAuthenticator, type VirtualAuthenticator, type WebAuthnCredential } from './passkey.js'
import { sanitiseLine } from '../sanitise.js'
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
  /**
   * A person at the (headed) browser logs in and verifies their identity, however the org asks (SSO, MFA,
   * a passkey): on those pages the harness waits up to `waitMs` for the person instead of typing or failing.
   */
  readonly person?: { readonly waitMs: number }
  /** A passkey (SF_PASSKEY_FILE) for "Log In With a Passkey"; told the new sign count when the flow ends. */
  readonly passkey?: { readonly credential: WebAuthnCredential; readonly onSignCount?: (signCount: number) => void | Promise<void> }
  /** `sf-oauth passkey enrol`: create a passkey on the registration prompt; told the credentials at the end. */
  readonly enrol?: { readonly onCredentials: (credentials: WebAuthnCredential[], enrolled: boolean) => void | Promise<void> }
  /** A finding that does not stop the flow (e.g. approving revokes older approvals). */
  readonly onWarning?: (name: string, detail: string) => void
}

/** What the page shows now (a state of the login walk, not OAuth's `state`). */
type PageState =
  | { kind: 'callback'; url: string }
  | { kind: 'error-page'; url: string }
  | { kind: 'plain-error'; text: string }
  | { kind: 'unknown'; signals: PageSignals }
  | Exclude<PageKind, { kind: 'plain-error' } | { kind: 'unknown' }>

const MAX_PAGES = 16
/** Pages a person at the browser handles (flow --headed without SF_USERNAME/SF_PASSWORD). */
const PERSON_PAGES: ReadonlySet<string> = new Set(['login', 'login-error', 'login-chooser', 'login-card', 'verification', 'mfa-registration', 'password-expired', 'unknown'])
const MAX_PAGE_TEXT = 4096
/**
 * How long a loaded page must stay without navigation before it counts as settled: an unknown page then
 * fails at once (FLOW_UNKNOWN_PAGE) instead of at SF_TIMEOUT_MS. Known pages are recognised before that.
 */
export const QUIET_MS = 2_000

/** Returns the callback URL (with `code` or `error`). */
export async function authorizeInBrowser(page: Page, opts: BrowserAuthorizeOptions): Promise<string> {
  const catcher = await catchCallback(page, opts.redirectUri, { intercept: opts.intercept !== false, oauthState: oauthStateOf(opts.authorizeUrl) })
  const callback = opts.serverCallback ? Promise.race([catcher.url, opts.serverCallback]) : catcher.url
  const login = new LoginPage(page)
  const consent = new ConsentPage(page)
  const person = opts.person
  // A person's pages (an identity provider's among them) may take minutes, not SF_TIMEOUT_MS.
  const stateTimeout = person === undefined ? opts.timeoutMs : Math.max(opts.timeoutMs, person.waitMs)
  const waitForPerson = async () => {
    const moved = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: person?.waitMs ?? opts.timeoutMs })
    await Promise.race([moved, callback]).catch((err: unknown) => {
      if (isTimeout(err)) throw new InfraError('CALLBACK_TIMEOUT', `the person did not finish ${pageWhere(page)} within ${Math.round((person?.waitMs ?? 0) / 1000)} s: log in sooner, or set SF_USERNAME and SF_PASSWORD`, { page: pageWhere(page) })
      throw err
    })
  }
  const run = opts.steps ?? runDirectly
  let authenticator: VirtualAuthenticator | undefined
  if (opts.passkey !== undefined || opts.enrol !== undefined) {
    try {
      authenticator = await addVirtualAuthenticator(page, opts.passkey?.credential)
    } catch (err) {
      catcher.dispose()
      throw err
    }
  }
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
    let maintenance = 0
    let phone = 0
    let enrolled = false
    let chose = false
    for (let i = 0; i < (person === undefined ? MAX_PAGES : MAX_PAGES * 10); i++) {
      const shown = await nextPageState(page, catcher, callback, stateTimeout)
      // A person at the browser does what only they can (log in however the org asks, verify, register,
      // an identity provider's or the org's own pages); the harness waits and takes over after.
      if (person !== undefined && PERSON_PAGES.has(shown.kind)) {
        await waitForPerson()
        step(shown.kind.startsWith('login') ? 'login' : shown.kind === 'verification' ? 'identity verification' : 'page', shown.kind === 'login-error' ? 'the person tries again' : 'by the person at the browser')
        continue
      }
      switch (shown.kind) {
        case 'callback':
          step('callback', 'redirect to SF_REDIRECT_URI caught')
          await run('callback: redirect to SF_REDIRECT_URI caught', async () => { if (opts.settle !== false) await settle(page, opts.redirectUri) })
          return shown.url
        case 'login-error':
          throw await login.failure()
        case 'login':
          if (submittedLogin && (await login.error.isVisible())) throw await login.failure()
          {
            let mode = ''
            await run('login: username and password', () => afterNavigation(page, callback, opts.timeoutMs, async () => {
              mode = await login.login(opts.username, opts.password, opts.timeoutMs, shown.seen)
            }))
            submittedLogin = true
            step('login', mode === 'two-step' ? 'username, then password (two-step page)' : mode === 'one-step' ? 'username and password' : 'password')
          }
          break
        case 'consent': {
          const revoking = opts.decision === 'deny' ? [] : await consent.revokedByApproval()
          if (revoking.length > 0) opts.onWarning?.('approval limit', `"Allow Access?" says approving revokes ${revoking.length} older approval(s) of this app for this user: ${revoking.map((r) => sanitiseLine(r, 80)).join('; ')}`)
          await run(`consent: ${opts.decision === 'deny' ? 'Deny' : 'Allow'}`, () => afterNavigation(page, callback, opts.timeoutMs, () => (opts.decision === 'deny' ? consent.reject() : consent.approve())))
          step('consent', opts.decision === 'deny' ? 'clicked Deny' : revoking.length > 0 ? `clicked Allow (revokes ${revoking.length} older approval(s))` : 'clicked Allow')
          break
        }
        case 'login-chooser': {
          if (chose) throw new BrowserFlowError('FLOW_STUCK', 'the "Choose a Username" page came back after choosing: run with --headed to watch', { cause: { page: redactor.text(page.url()) } })
          chose = true
          const picked = { listed: false }
          await afterNavigation(page, callback, opts.timeoutMs, async () => {
            picked.listed = await login.choose(opts.username)
          })
          step('choose username', picked.listed ? 'the remembered username is SF_USERNAME' : 'remembered username is another user: "Log In with a Different Username"')
          break
        }
        case 'login-card': {
          if (await login.cardIs(opts.username)) {
            await afterNavigation(page, callback, opts.timeoutMs, async () => {
              await login.login(opts.username, opts.password, opts.timeoutMs, new Set(['password']))
            })
            submittedLogin = true
            step('login', 'password (remembered username)')
          } else {
            if (chose) throw new BrowserFlowError('FLOW_STUCK', 'the remembered-username card came back after leaving it: run with --headed to watch', { cause: { page: redactor.text(page.url()) } })
            chose = true
            await afterNavigation(page, callback, opts.timeoutMs, () => login.leaveCard())
            step('choose username', 'remembered username is another user: left its card')
          }
          break
        }
        case 'phone-registration':
          if (++phone > 2) throw new BrowserFlowError('FLOW_STUCK', '"Register Your Mobile Phone" came back after skipping it: run with --headed to watch', { cause: { page: redactor.text(page.url()) } })
          {
            let how = ''
            await afterNavigation(page, callback, opts.timeoutMs, async () => {
              how = await skipPhoneRegistration(page)
            })
            step('phone registration', `skipped "Register Your Mobile Phone" (${how}); no phone registered`)
          }
          break
        case 'maintenance':
          if (++maintenance > 1) throw new InfraError('ORG_MAINTENANCE', `the org showed its maintenance page again after the harness continued past it (${pageWhere(page)}): wait for the maintenance window to end (status.salesforce.com), then run again`)
          {
            let where = ''
            await afterNavigation(page, callback, opts.timeoutMs, async () => {
              where = await continuePastMaintenance(page, opts.authorizeUrl, opts.timeoutMs)
            })
            step('maintenance page', `continued to ${where}`)
          }
          break
        case 'password-expired':
          throw new BrowserFlowError('PASSWORD_EXPIRED', `Salesforce asks to change the password ("Change Your Password" at ${pageWhere(page)}); the harness never changes one: log in once by hand, change it, and update SF_PASSWORD`, { cause: { page: pageWhere(page) } })
        case 'mfa-registration': {
          if (opts.enrol !== undefined && (shown.asks === 'passkey' || shown.asks === 'a verification method')) {
            if (enrolled) throw await enrolRefused(page)
            let what = ''
            await afterNavigation(page, callback, opts.timeoutMs, async () => {
              what = await enrolPasskey(page, shown.asks)
            })
            if (what === 'created') enrolled = true
            step(what === 'created' ? 'passkey enrolment' : 'verification method', what === 'created' ? 'created a passkey with the virtual authenticator' : 'chose the built-in authenticator (passkey)')
            break
          }
          throw new BrowserFlowError('MFA_REGISTRATION_REQUIRED', `Salesforce asks the user to register ${shown.asks === 'a verification method' ? 'a verification method' : `a ${shown.asks}`} before going on (${pageWhere(page)}): register an authenticator app by hand and set SF_TOTP_SECRET to its secret, or enrol a passkey with \`sf-oauth passkey enrol\` and set SF_PASSKEY_FILE`, { cause: { page: pageWhere(page), asks: shown.asks } })
        }
        case 'unknown':
          throw unknownPageError(shown.signals, await formFields(page))
        case 'verification': {
          if (shown.method === 'sms' || shown.method === 'push' || shown.method === 'lightning') {
            const what = { sms: 'an SMS code', push: 'approval of a Salesforce Authenticator notification', lightning: 'a Lightning Login approval in Salesforce Authenticator' }[shown.method]
            throw new BrowserFlowError('VERIFICATION_METHOD_UNSUPPORTED', `Salesforce asks for ${what}, which no headless run can give: give the user an authenticator app (SF_TOTP_SECRET) or a passkey (SF_PASSKEY_FILE) as verification method`, { cause: { page: redactor.text(page.url()), method: shown.method } })
          }
          if (shown.method === 'passkey') {
            if (authenticator === undefined) throw new BrowserFlowError('IDENTITY_VERIFICATION_REQUIRED', 'Salesforce asks for a passkey or security key: set SF_PASSKEY_FILE to a passkey of this user (sf-oauth passkey enrol creates one), or give the user an authenticator app (SF_TOTP_SECRET)', { cause: { page: redactor.text(page.url()) } })
            if (verified) throw new BrowserFlowError('IDENTITY_VERIFICATION_FAILED', `Salesforce refused the passkey${await pageErrorText(page)}: check that SF_PASSKEY_FILE holds a passkey registered to SF_USERNAME for this host (its rpId), or fall back to SF_TOTP_SECRET`, { cause: { page: redactor.text(page.url()) } })
            await afterNavigation(page, callback, opts.timeoutMs, () => page.getByRole('button', { name: /log in with a passkey|use (?:a|your) passkey|security key/i }).first().click())
            verified = true
            step('identity verification', 'passkey (virtual authenticator)')
            break
          }
          if (verified) {
            throw new BrowserFlowError('IDENTITY_VERIFICATION_FAILED', `Salesforce refused the ${shown.method === 'totp' ? 'authenticator' : 'email'} code: check ${shown.method === 'totp' ? 'SF_TOTP_SECRET and the machine clock' : 'SF_VERIFICATION_CODE_COMMAND prints the newest code'}`, { cause: { page: redactor.text(page.url()) } })
          }
          const method = shown.method
          await run(`identity verification: ${method === 'totp' ? 'authenticator code' : 'emailed code'}`, async () => {
            const code = await verificationCode(method, opts.verification ?? {}, opts.timeoutMs)
            const input = page.locator(method === 'totp' ? '#tc' : '#emc')
            await fillSecret(input, code)
            const remember = page.locator('#RememberDeviceCheckbox, #save-device-checkbox').first()
            if (await remember.isVisible()) await remember.check()
            await afterNavigation(page, callback, opts.timeoutMs, () => page.locator('#save').click())
          })
          verified = true
          step('identity verification', shown.method === 'totp' ? 'authenticator code (TOTP)' : 'emailed code from SF_VERIFICATION_CODE_COMMAND')
          break
        }
        case 'error-page': {
          const refused = await errorPageError(page, shown.url, opts.redirectUri)
          // The generic error page after an authorize request without a challenge: the org or app requires PKCE.
          if (refused.code === 'AUTHORIZE_APPROVAL_ERROR' && !withChallenge(opts.authorizeUrl)) {
            throw new AuthorizationError('AUTHORIZE_PKCE_REQUIRED', 'Salesforce refused an authorize request without PKCE (OAUTH_APPROVAL_ERROR_GENERIC): set SF_PKCE=true, or an admin turns off "Require Proof Key for Code Exchange (PKCE)" on the app or in OAuth and OpenID Connect Settings', refused.error, refused.errorDescription, refused.cause)
          }
          throw refused
        }
        case 'plain-error':
          throw plainTextError(shown.text, opts.redirectUri)
      }
    }
    throw new BrowserFlowError('FLOW_STUCK', `the browser went through ${MAX_PAGES} pages without reaching SF_REDIRECT_URI: run with --headed to watch, or --record DIR to capture`, { cause: { page: redactor.text(page.url()) } })
  } finally {
    catcher.dispose()
    if (authenticator !== undefined) await releaseAuthenticator(authenticator, opts)
  }
}

/** Report the passkey's new sign count (or the enrolled credentials), then take the authenticator off the page. */
async function releaseAuthenticator(authenticator: VirtualAuthenticator, opts: BrowserAuthorizeOptions): Promise<void> {
  try {
    const credentials = await authenticator.credentials()
    for (const c of credentials) redactor.add(c.privateKey)
    const used = credentials.find((c) => c.credentialId === opts.passkey?.credential.credentialId)
    if (opts.passkey?.onSignCount !== undefined && used !== undefined && used.signCount !== opts.passkey.credential.signCount) await opts.passkey.onSignCount(used.signCount)
    if (opts.enrol !== undefined) await opts.enrol.onCredentials(credentials, credentials.length > 0)
  } finally {
    await authenticator.remove()
  }
}

/** The page's own error text (" (…)"), sanitised and short, or ''. */
async function pageErrorText(page: Page): Promise<string> {
  const text = await page.locator('#error, .loginError, #errorDesc, div.errorMsg').first().textContent({ timeout: 1_000 }).catch(() => null)
  return text ? ` (${sanitiseLine(text.replace(/\s+/g, ' ').trim(), 200)})` : ''
}

async function enrolRefused(page: Page): Promise<BrowserFlowError> {
  return new BrowserFlowError('PASSKEY_ENROL_FAILED', `the org did not accept the passkey created${await pageErrorText(page)}: passkeys need https or http://localhost (never an IP address); run with --headed to watch`, { cause: { page: redactor.text(page.url()) } })
}

function oauthStateOf(authorizeUrl: string): string | undefined {
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

async function nextPageState(page: Page, catcher: CallbackCatcher, callback: Promise<string>, timeoutMs: number): Promise<PageState> {
  const seen = catcher.current()
  if (seen !== undefined) return { kind: 'callback', url: seen }
  const stop = new AbortController()
  const onPage = page.locator(MARKERS).first().waitFor({ state: 'visible', timeout: timeoutMs }).then(() => 'page' as const)
  onPage.catch(() => undefined)
  // The error page and pages known by their path: watch commits for their URL. A listener rather than
  // waitForURL, which would outlive this call by up to timeoutMs on every page of every flow.
  const onCommitted = new Promise<'error-page' | 'path'>((resolve) => {
    const look = (url: string) => {
      if (isErrorPage(url)) resolve('error-page')
      else if (knownPath(url)) resolve('path')
    }
    const onCommit = (frame: Frame) => {
      if (frame === page.mainFrame()) look(frame.url())
    }
    page.on('framenavigated', onCommit)
    stop.signal.addEventListener('abort', () => page.off('framenavigated', onCommit), { once: true })
    look(page.url())
  })
  const onCallback = callback.then((url) => ({ url }))
  let winner: 'page' | 'error-page' | 'path' | 'settled' | { url: string }
  try {
    winner = await Promise.race([onCallback, onPage, onCommitted, settled(page, QUIET_MS, stop.signal)])
  } catch (err) {
    const url = catcher.current()
    if (url !== undefined) return { kind: 'callback', url }
    if (isTimeout(err)) {
      throw new InfraError('CALLBACK_TIMEOUT', `the browser did not reach SF_REDIRECT_URI within ${timeoutMs} ms (stuck at ${pageWhere(page)}): raise SF_TIMEOUT_MS, or run with --headed to see the page`, { page: pageWhere(page) })
    }
    throw navigationError(err, timeoutMs)
  } finally {
    stop.abort()
  }
  if (typeof winner === 'object') return { kind: 'callback', url: winner.url }
  if (winner === 'error-page' || isErrorPage(page.url())) return { kind: 'error-page', url: page.url() }
  if (winner === 'path') await page.waitForLoadState('domcontentloaded', { timeout: timeoutMs }).catch(() => undefined)
  let signals = await readSignals(page)
  // The page went away between the wait and the look (a redirect): look at the next one.
  if (signals === undefined) return nextPageState(page, catcher, callback, timeoutMs)
  let kind = classify(signals)
  if (kind.kind === 'unknown' && winner !== 'settled') {
    // A marker without a page it belongs to: judge the page once it has settled.
    const quiet = new AbortController()
    const done = await Promise.race([onCallback, settled(page, QUIET_MS, quiet.signal)]).finally(() => quiet.abort())
    if (typeof done === 'object') return { kind: 'callback', url: done.url }
    signals = await readSignals(page)
    if (signals === undefined) return nextPageState(page, catcher, callback, timeoutMs)
    kind = classify(signals)
  }
  if (kind.kind === 'unknown') return { kind: 'unknown', signals }
  if (kind.kind === 'plain-error') {
    // A page's text is outside input: only the start is read (Salesforce's answer is one short line).
    const text = ((await page.locator('body > pre').first().textContent()) ?? '').slice(0, MAX_PAGE_TEXT)
    return { kind: 'plain-error', text }
  }
  return kind
}

function withChallenge(authorizeUrl: string): boolean {
  return URL.canParse(authorizeUrl) && new URL(authorizeUrl).searchParams.has('code_challenge')
}

function knownPath(url: string): boolean {
  try {
    return KNOWN_PATH.test(new URL(url).pathname)
  } catch {
    return false
  }
}

/**
 * Resolves when the page has loaded and neither navigated nor started a navigation for `quietMs`; never
 * once `signal` aborts (its listeners and timer are removed then).
 */
function settled(page: Page, quietMs: number, signal: AbortSignal): Promise<'settled'> {
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(() => void check(), quietMs)
    }
    const check = async () => {
      const ready = await page.evaluate(() => document.readyState).catch(() => 'gone')
      if (signal.aborted) return
      if (ready === 'complete') resolve('settled')
      else arm()
    }
    const onNavigated = (f: Frame) => {
      if (f === page.mainFrame()) arm()
    }
    const onRequest = (r: Request) => {
      if (r.isNavigationRequest() && r.frame() === page.mainFrame()) arm()
    }
    page.on('framenavigated', onNavigated)
    page.on('request', onRequest)
    signal.addEventListener('abort', () => {
      clearTimeout(timer)
      page.off('framenavigated', onNavigated)
      page.off('request', onRequest)
    }, { once: true })
    if (!signal.aborted) arm()
  })
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
