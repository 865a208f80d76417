/**
 * `sf-oauth-harness/test`: Playwright Test fixtures and matchers for Salesforce OAuth. Import `test` and
 * `expect` from here instead of `@playwright/test`:
 *
 * ```ts
 * import { test, expect } from 'sf-oauth-harness/test'
 *
 * test('the API accepts our token', async ({ salesforceTokens }) => {
 *   expect(salesforceTokens).toBeSalesforceTokenResponse()
 * })
 * ```
 *
 * Every test worker runs the harness's scrub guard: secrets the harness registers (passwords, client
 * secrets, codes, tokens) are masked in console output, step titles, errors, attachments and traces,
 * whatever reporters the project uses.
 *
 * @packageDocumentation
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { test as base, expect as baseExpect } from '@playwright/test'
import type { Browser } from 'playwright'
import { launchBrowser } from '../browser/session.js'
import { resetKeeping, startEmulator, type SalesforceEmulator } from '../api/emulator.js'
import { introspect, refresh } from '../client/operations.js'
import { loadConfig, type HarnessConfig } from '../config.js'
import { runWebServerFlow } from '../flow/web-server-flow.js'
import { createHttp, EXCHANGE_CHANNEL, type Exchange } from '../http/client.js'
import type { TokenSet } from '../oauth/types.js'
import { redactor } from '../redact.js'
import { exchangeTitle, formatExchange } from '../report/exchange.js'
import { guardWorker, type WorkerGuard } from '../report/worker-guard.js'
import type { StepRunner } from '../steps.js'
import { emulatorLogin, toFlowTarget, type FlowTarget } from '../targets/flow-target.js'
import { tokenMatchers } from './matchers.js'

export type { SalesforceEmulator } from '../api/emulator.js'
export type { FlowTarget } from '../targets/flow-target.js'
export type { TokenSet } from '../oauth/types.js'
export type { StepRunner } from '../steps.js'
export { tokenMatchers } from './matchers.js'

/** Each flow step as a boxed `test.step` named by intent (authorize, login, consent, token request, validate). */
export const playwrightSteps: StepRunner = (title, body) => base.step(title, body, { box: true })

/** Fixtures each test gets. */
export interface SalesforceTestFixtures {
  /**
   * The embedded emulator: started once per worker (on first use) and back to its seeded state before
   * each test that uses it: no sessions, codes, tokens or consents of an earlier test, default switches,
   * real time. Only the worker's own token set (`salesforceTokens`) is kept, so it is not obtained anew
   * per test; it counts as one of the seeded user's approvals. The same reset runs once per test for
   * `salesforceTokens`, before its check, whichever of the two a test names first.
   */
  salesforceEmulator: SalesforceEmulator
  /**
   * A checked token set for `salesforceTarget`: obtained once per worker by the web server flow, and before
   * each test introspected, refreshed when no longer active, or obtained anew when refresh fails. Against
   * the emulator, its per-test reset (which keeps this set) runs first.
   */
  salesforceTokens: TokenSet
  /** The step runner the fixtures use: hand it to `runWebServerFlow({ steps })` in your own tests. */
  salesforceSteps: StepRunner
  _sfScrubTest: undefined
  _sfExchanges: undefined
  _sfEmulatorReset: { get(): Promise<SalesforceEmulator> }
}

/** Fixtures shared by a worker's tests. */
export interface SalesforceWorkerFixtures {
  /** The org named by `SF_LOGIN_URL` and the other `SF_*` variables (or `.env`) when set, else the emulator. */
  salesforceTarget: FlowTarget
  /** The configuration (`loadConfig()`: `.env` in the current directory and the environment). */
  salesforceConfig: HarnessConfig
  _sfScrubWorker: WorkerGuard
  _sfEmulator: { get(): Promise<SalesforceEmulator> }
  _sfTokens: { tokens: TokenSet | undefined }
  _sfBrowser: { get(): Promise<Browser> }
}

/** Introspect, then refresh, then a new flow: the first that yields an active token set. */
async function currentTokens(cache: { tokens: TokenSet | undefined }, target: FlowTarget, newFlow: () => Promise<TokenSet>, timeoutMs: number): Promise<TokenSet> {
  const held = cache.tokens
  if (held !== undefined) {
    const http = createHttp({ timeoutMs })
    const ctx = { http, secrets: redactor }
    try {
      const active = await introspect(ctx, target, held.accessToken).then(() => true, () => false)
      if (active) return held
      if (held.refreshToken !== undefined) {
        const refreshed = await refresh(ctx, target, held.refreshToken).then((r) => r.tokens, () => undefined)
        if (refreshed !== undefined) {
          cache.tokens = { ...refreshed, refreshToken: refreshed.refreshToken ?? held.refreshToken }
          return cache.tokens
        }
      }
    } finally {
      await http.close()
    }
  }
  cache.tokens = await newFlow()
  return cache.tokens
}

/**
 * Playwright Test's `test` with the Salesforce fixtures: `salesforceEmulator`, `salesforceTarget`,
 * `salesforceTokens`, `salesforceConfig`, `salesforceSteps`, and (automatic) the scrub guard and one masked
 * attachment per HTTP exchange. The flow follows Salesforce Help, "OAuth 2.0 Web Server Flow for Web App
 * Integration"; the tokens' check, RFC 7662 (introspection) and "OAuth 2.0 Refresh Token Flow for Renewed Sessions".
 *
 * @throws (a fixture, failing the test that asks for it) `CONFIG_INVALID` from `salesforceConfig` when the
 *   `SF_*` variables are bad; from `salesforceTokens` the codes of `runWebServerFlow` (`BROWSER_NOT_FOUND`,
 *   `LOGIN_FAILED`, `AUTHORIZE_*`, `TOKEN_*`, `NETWORK_*`, ...).
 */
export const test = base.extend<SalesforceTestFixtures, SalesforceWorkerFixtures>({
  // The scrub guard, for the whole worker and never removed: Playwright sends a failing test's trace
  // after the worker fixtures are torn down (see src/report/worker-guard.ts).
  _sfScrubWorker: [async ({}, use) => { await use(guardWorker()) }, { scope: 'worker', auto: true, box: true }],
  _sfScrubTest: [
    async ({ _sfScrubWorker }, use, testInfo) => {
      _sfScrubWorker.watch(testInfo.testId, testInfo.outputDir)
      await use(undefined)
    },
    { auto: true, box: true },
  ],
  // Every HTTP exchange the harness makes during a test, masked, one text attachment each (like Postman's console).
  _sfExchanges: [
    async ({}, use, testInfo) => {
      const exchanges: Exchange[] = []
      const onExchange = (e: unknown) => exchanges.push(e as Exchange)
      subscribe(EXCHANGE_CHANNEL, onExchange)
      await use(undefined)
      unsubscribe(EXCHANGE_CHANNEL, onExchange)
      for (const [i, e] of exchanges.entries()) await testInfo.attach(exchangeTitle(e, i + 1), { body: formatExchange(e, redactor), contentType: 'text/plain' })
    },
    { auto: true, box: true },
  ],
  salesforceConfig: [async ({}, use) => { await use(loadConfig()) }, { scope: 'worker', box: true }],
  _sfEmulator: [
    async ({}, use) => {
      let started: Promise<SalesforceEmulator> | undefined
      await use({ get: () => (started ??= startEmulator()) })
      await started?.then((em) => em.close(), () => undefined)
    },
    { scope: 'worker', box: true },
  ],
  // One full reset per test, whichever of salesforceEmulator and salesforceTokens asks first, so the
  // tokens are checked after the reset, never wiped by it mid-test.
  _sfEmulatorReset: [
    async ({ _sfEmulator, _sfTokens }, use) => {
      let reset: Promise<SalesforceEmulator> | undefined
      await use({
        get: () => (reset ??= _sfEmulator.get().then((em) => {
          resetKeeping(em, [_sfTokens.tokens?.accessToken, _sfTokens.tokens?.refreshToken])
          return em
        })),
      })
    },
    { box: true },
  ],
  salesforceEmulator: async ({ _sfEmulatorReset }, use) => {
    await use(await _sfEmulatorReset.get())
  },
  salesforceTarget: [
    async ({ salesforceConfig: config, _sfEmulator }, use) => {
      if (config.kind === 'org') {
        await use(toFlowTarget(config, config))
        return
      }
      const em = await _sfEmulator.get()
      const seed = { app: { clientId: em.clientId, clientSecret: em.clientSecret }, user: { username: em.username, password: em.password } }
      await use(toFlowTarget(emulatorLogin(em.url, seed, config), config))
    },
    { scope: 'worker' },
  ],
  salesforceSteps: async ({}, use) => { await use(playwrightSteps) },
  _sfTokens: [async ({}, use) => { await use({ tokens: undefined }) }, { scope: 'worker', box: true }],
  // The harness's own browser ladder (SF_BROWSER_PATH, Playwright's Chromium, a system one), launched
  // when a flow is first needed: a machine with only a system Chromium works without configuring Playwright.
  _sfBrowser: [
    async ({ salesforceConfig: config }, use) => {
      let launched: Promise<Browser> | undefined
      await use({ get: () => (launched ??= launchBrowser({ browserPath: config.browserPath, headless: config.headless, timeoutMs: Math.max(config.timeoutMs, 30_000) })) })
      await launched?.then((b) => b.close(), () => undefined)
    },
    { scope: 'worker', box: true },
  ],
  salesforceTokens: async ({ salesforceTarget: target, salesforceConfig: config, _sfTokens, _sfBrowser, salesforceSteps, _sfEmulatorReset }, use) => {
    // The emulator's per-test reset before the check, so it can never end the tokens this test is handed.
    if (config.kind !== 'org') await _sfEmulatorReset.get()
    const newFlow = async () => (await runWebServerFlow({
      target,
      browser: await _sfBrowser.get(),
      timeoutMs: config.timeoutMs,
      steps: salesforceSteps,
      verification: { totpSecret: config.totpSecret, codeCommand: config.verificationCodeCommand },
    })).tokens
    await use(await currentTokens(_sfTokens, target, newFlow, config.timeoutMs))
  },
})

/**
 * Playwright's `expect` with `toBeSalesforceTokenResponse()` and `toHaveValidSignature(clientSecret)`
 * (the token response and its signature: Salesforce Help, "OAuth 2.0 Web Server Flow for Web App
 * Integration"). A failed match names the harness code (`RESPONSE_FIELD_MISSING`, `SIGNATURE_INVALID`, ...).
 */
export const expect = baseExpect.extend(tokenMatchers)
