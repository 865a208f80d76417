/**
 * The project's `test`: the emulator fixtures (worker-scoped emulator, reset per test) plus a flow
 * fixture that runs the harness's real flow engine in Playwright's own page, so traces and
 * screenshots are Playwright's.
 */
import { test as emulatorTest } from './emulator.js'
import { runWebServerFlow, type FlowOptions, type FlowResult } from '../../src/flow/web-server-flow.js'
import { FlowLog, runCodeFlow, type CodeFlowOptions } from '../../src/flow/code-flow.js'
import { createHttp } from '../../src/http/client.js'
import { savedTokenSet, writeTokenFile } from '../../src/store/token-store.js'
import { inMemoryFetch, personOverHttp } from './http-flow.js'
import { DEFAULT_FLOW_SETTINGS, emulatorLogin, toFlowTarget, type FlowTarget } from '../../src/targets/flow-target.js'

import type { Page } from 'playwright'
import type { RunningEmulator } from '../../src/emulator/index.js'

export { expect } from '@playwright/test'

export interface FlowFixture {
  /** The seeded app and user of this test's emulator, as a flow target. */
  readonly target: FlowTarget
  /** This test's page (the flow runs in it unless options.page says otherwise). */
  readonly page: Page
  /** Run the whole flow in this test's page. */
  run(overrides?: Partial<FlowTarget>, options?: Partial<Omit<FlowOptions, 'target'>>): Promise<FlowResult>
}

/**
 * The same protocol flow (src/flow/code-flow.ts: authorize URL, state, PKCE, callback, code exchange, every
 * check) with no browser: its user agent is the emulator's login and consent pages over HTTP, in memory. For
 * tests of the token side, where no page logic is under test (a browser costs about a second a flow).
 */
export interface HttpFlowFixture {
  readonly target: FlowTarget
  run(overrides?: Partial<FlowTarget>, options?: OverHttpOptions): Promise<Omit<FlowResult, 'durationMs'>>
  /** A token file (0600) of a flow's tokens, as `sf-oauth flow --save FILE` writes it; returns FILE. */
  saveTo(file: string, overrides?: Partial<FlowTarget>): Promise<string>
}

export interface OverHttpOptions extends Partial<Pick<CodeFlowOptions, 'prompt' | 'immediate' | 'http'>> {
  readonly decision?: 'approve' | 'deny'
  readonly onEvent?: FlowOptions['onEvent']
}

/** The seeded app and user with the defaults of an empty configuration (redirect, "api refresh_token", PKCE). */
function seededTarget(emulator: RunningEmulator): FlowTarget {
  return toFlowTarget(emulatorLogin(emulator.url, emulator.app.seed), DEFAULT_FLOW_SETTINGS)
}

export const test = emulatorTest.extend<{ flow: FlowFixture; httpFlow: HttpFlowFixture }>({
  flow: async ({ emulator, page }, use) => {
    const target = seededTarget(emulator)
    await use({
      target,
      page,
      run: (overrides = {}, options = {}) => runWebServerFlow({ timeoutMs: 10_000, ...options, target: { ...target, ...overrides }, page: options.page ?? page }),
    })
  },
  httpFlow: async ({ emulator }, use) => {
    const target = seededTarget(emulator)
    const fixture: HttpFlowFixture = {
      target,
      async run(overrides = {}, options = {}) {
        const t = { ...target, ...overrides }
        const log = new FlowLog(options.onEvent)
        const http = options.http ?? createHttp({ timeoutMs: 10_000, onExchange: (exchange) => log.emit({ type: 'exchange', exchange }) })
        try {
          const agent = { authorize: (url: string) => personOverHttp(url, t, options.decision, inMemoryFetch(emulator)) }
          const tokens = await runCodeFlow({ target: t, http, log, prompt: options.prompt, immediate: options.immediate }, agent)
          return { tokens, steps: log.steps, checks: log.checks }
        } finally {
          if (options.http === undefined) await http.close()
        }
      },
      async saveTo(file, overrides = {}) {
        await writeTokenFile(file, savedTokenSet({ ...target, ...overrides }, (await fixture.run(overrides)).tokens))
        return file
      },
    }
    await use(fixture)
  },
})

/** The error code of a rejected promise (tests assert on codes, never on messages alone). */
export async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
  } catch (err) {
    return (err as { code?: string }).code
  }
  return undefined
}
