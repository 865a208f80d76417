/**
 * This repo's base `test`: the worker guard of src/report/worker-guard.ts (the same guard the published
 * fixtures of `sf-oauth-harness/test` install), plus the secret scans' ledger.
 */
import { subscribe } from 'node:diagnostics_channel'
import { appendFileSync } from 'node:fs'
import { test as base } from '@playwright/test'
import { SECRET_CHANNEL } from '../../src/redact.js'
import { guardWorker, type WorkerGuard } from '../../src/report/worker-guard.js'
import { secretLedger } from './env.js'

export { createGuard, guardWorker, type WorkerGuard } from '../../src/report/worker-guard.js'

/**
 * The base of every `test` in tests/support: the guard for the whole worker (auto), told of each test's
 * output directory. In the secret scans' nested runs, every secret the worker registers also goes to
 * their ledger (SF_HARNESS_TEST_LEDGER).
 */
export const test = base.extend<{ _scrubTest: undefined }, { _scrubWorker: WorkerGuard }>({
  _scrubWorker: [
    async ({}, use) => {
      const guard = guardWorker()
      const ledger = secretLedger()
      if (ledger !== undefined) subscribe(SECRET_CHANNEL, (v) => appendFileSync(ledger, `${Buffer.from(String(v)).toString('base64')}\n`, { mode: 0o600 }))
      // Not uninstalled: Playwright still sends the failing test's trace after worker fixtures tear down.
      await use(guard)
    },
    { scope: 'worker', auto: true, box: true },
  ],
  _scrubTest: [
    async ({ _scrubWorker }, use, testInfo) => {
      _scrubWorker.watch(testInfo.testId, testInfo.outputDir)
      await use(undefined)
    },
    { auto: true, box: true },
  ],
})
