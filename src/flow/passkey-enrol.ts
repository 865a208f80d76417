/**
 * `sf-oauth passkey enrol`: log in through the authorize URL with a fresh virtual authenticator on the
 * page, create a passkey on the org's registration prompt ("Create a Passkey"), or, when the org shows
 * none, on the user's own "Create a Passkey" page afterwards, and hand back the credential created.
 * The authorization code the flow ends with is not redeemed (it expires unused after 15 minutes).
 */
import type { Page } from 'playwright'
import { authorizeInBrowser } from '../browser/authorize.js'
import { openBrowserSession, type BrowserSession } from '../browser/session.js'
import { addVirtualAuthenticator, type WebAuthnCredential } from '../browser/passkey.js'
import type { VerificationSources } from '../browser/verification.js'
import { BrowserFlowError } from '../errors.js'
import { buildAuthorizeUrl } from '../oauth/authorize-url.js'
import { createPkce } from '../oauth/pkce.js'
import { createState } from '../oauth/state.js'
import { redactor } from '../redact.js'
import type { FlowTarget } from '../targets/flow-target.js'
import type { ProxySettings } from '../http/client.js'

/** The user's own page (Salesforce: Personal Settings; the path is thinly sourced, docs/login-pages.md). */
export const OWN_PASSKEY_PAGE = '/_ui/identity/webauthn/AddPasskeyUi'

export interface EnrolOptions {
  readonly target: FlowTarget
  readonly timeoutMs: number
  readonly page?: Page
  readonly headless?: boolean
  readonly browserPath?: string | undefined
  /** The config's proxies (src/config.ts), for the browser context the enrolment opens. */
  readonly proxies?: ProxySettings | undefined
  readonly verification?: VerificationSources
  readonly onStep?: (name: string, durationMs: number, detail?: string) => void
}

export interface EnrolResult {
  readonly credential: WebAuthnCredential
  /** Where it was created: the registration prompt of the login, or the user's own page. */
  readonly where: 'prompt' | 'own page'
}

export async function enrolPasskey(opts: EnrolOptions): Promise<EnrolResult> {
  const { target } = opts
  redactor.add(target.password)
  let session: BrowserSession | undefined
  try {
    session = await openBrowserSession({ page: opts.page, browserPath: opts.browserPath, headless: opts.headless ?? true, timeoutMs: Math.max(opts.timeoutMs, 30_000), proxies: opts.proxies })
    const page = session.page
    const pkce = target.pkce ? createPkce() : undefined
    redactor.add(pkce?.verifier)
    const authorizeUrl = buildAuthorizeUrl({ loginUrl: target.loginUrl, clientId: target.clientId, redirectUri: target.redirectUri, scope: target.scope, state: createState(), codeChallenge: pkce?.challenge }).toString()
    let created: WebAuthnCredential[] = []
    const callbackUrl = await authorizeInBrowser(page, {
      authorizeUrl,
      redirectUri: target.redirectUri,
      username: target.username,
      password: target.password,
      timeoutMs: opts.timeoutMs,
      settle: true,
      ...(opts.onStep ? { onStep: opts.onStep } : {}),
      ...(opts.verification ? { verification: opts.verification } : {}),
      enrol: { onCredentials: (c) => void (created = c) },
    })
    redactor.add(new URL(callbackUrl).searchParams.get('code'))
    const first = created[0]
    if (first !== undefined) return { credential: first, where: 'prompt' }
    return { credential: await enrolOnOwnPage(page, target.loginUrl, opts.timeoutMs), where: 'own page' }
  } finally {
    await session?.close()
  }
}

/** Logged in already (the flow's session): open "Create a Passkey" and create one there. */
async function enrolOnOwnPage(page: Page, loginUrl: string, timeoutMs: number): Promise<WebAuthnCredential> {
  const authenticator = await addVirtualAuthenticator(page)
  try {
    const url = new URL(OWN_PASSKEY_PAGE, loginUrl)
    url.searchParams.set('retURL', '/')
    await page.goto(url.href, { timeout: timeoutMs })
    const create = page.getByRole('button', { name: /create (?:a )?passkey|register|add passkey/i }).first()
    await create.waitFor({ state: 'visible', timeout: timeoutMs }).catch(() => {
      throw new BrowserFlowError('PASSKEY_ENROL_FAILED', `no "Create a Passkey" page at ${url.origin}${url.pathname}: run with --headed and create the passkey from Personal Settings while the command waits`)
    })
    const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: timeoutMs })
    await create.click()
    await navigated
    const credentials = await authenticator.credentials()
    for (const c of credentials) redactor.add(c.privateKey)
    const first = credentials[0]
    if (first === undefined || new URL(page.url()).pathname === OWN_PASSKEY_PAGE) {
      throw new BrowserFlowError('PASSKEY_ENROL_FAILED', 'the org did not accept the passkey created: passkeys need https or http://localhost (never an IP address); run with --headed to watch')
    }
    return first
  } finally {
    await authenticator.remove()
  }
}
