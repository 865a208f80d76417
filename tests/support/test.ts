/**
 * The project's `test`: the emulator fixtures (worker-scoped emulator, reset per test) plus a flow
 * fixture that runs the harness's real flow engine in Playwright's own page, so traces and
 * screenshots are Playwright's.
 */
import { test as emulatorTest } from './emulator.js'
import { runWebServerFlow, type FlowOptions, type FlowResult } from '../../src/flow/web-server-flow.js'
import { DEFAULT_FLOW_SETTINGS, emulatorLogin, toFlowTarget, type FlowTarget } from '../../src/targets/flow-target.js'

import type { Page } from 'playwright'

export { expect } from '@playwright/test'

export interface FlowFixture {
  /** The seeded app and user of this test's emulator, as a flow target. */
  readonly target: FlowTarget
  /** This test's page (the flow runs in it unless options.page says otherwise). */
  readonly page: Page
  /** Run the whole flow in this test's page. */
  run(overrides?: Partial<FlowTarget>, options?: Partial<Omit<FlowOptions, 'target'>>): Promise<FlowResult>
}

export const test = emulatorTest.extend<{ flow: FlowFixture }>({
  flow: async ({ emulator, page }, use) => {
    // The seeded app and user with the defaults of an empty configuration (redirect, "api refresh_token", PKCE).
    const target = toFlowTarget(emulatorLogin(emulator.url, emulator.app.seed), DEFAULT_FLOW_SETTINGS)
    await use({
      target,
      page,
      run: (overrides = {}, options = {}) => runWebServerFlow({ timeoutMs: 10_000, ...options, target: { ...target, ...overrides }, page: options.page ?? page }),
    })
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
