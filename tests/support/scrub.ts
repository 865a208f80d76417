/**
 * This repo's base `test`: the worker guard of src/report/worker-guard.ts (the same guard the published
 * fixtures of `sf-oauth-harness/test` install), plus the secret scans' ledger, and the worker's emulator.
 *
 * Every worker-scoped fixture of the default projects is declared here, in one place: Playwright runs
 * specs whose worker fixtures differ in separate worker processes, and a new worker costs ~2.5 s here
 * (start-up, imports, its fixtures). Worker fixtures are lazy, so a spec that never asks for the emulator
 * never starts one.
 */
import { subscribe } from 'node:diagnostics_channel'
import { appendFileSync } from 'node:fs'
import { test as base } from '@playwright/test'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { redactor, SECRET_CHANNEL } from '../../src/redact.js'
import { guardWorker, type WorkerGuard } from '../../src/report/worker-guard.js'
import { secretLedger } from './env.js'

export { createGuard, guardWorker, type WorkerGuard } from '../../src/report/worker-guard.js'

/**
 * The base of every `test` in tests/support: the guard for the whole worker (auto), told of each test's
 * output directory. In the secret scans' nested runs, every secret the worker registers also goes to
 * their ledger (SF_HARNESS_TEST_LEDGER).
 */
export const test = base.extend<{ _scrubTest: undefined }, { _scrubWorker: WorkerGuard; _emulator: RunningEmulator }>({
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
  // One emulator per worker, started on a free port when a test first asks for it; ./emulator.ts resets
  // it before each test (`emulator`).
  _emulator: [
    async ({}, use) => {
      const ledger = secretLedger()
      const emulator = await startEmulator({
        host: '127.0.0.1',
        port: 0,
        // Every secret the emulator sees or issues is registered, so the worker's scrub masks it even
        // where the harness never parsed it; the secret scans' nested runs also log it.
        onSecret: (v: string) => {
          redactor.add(v)
          if (ledger !== undefined) appendFileSync(ledger, `${Buffer.from(v).toString('base64')}\n`)
        },
      })
      const { app, user } = emulator.app.seed
      for (const v of [user.password, user.totpSecret, app.clientSecret]) redactor.add(v)
      await use(emulator)
      await emulator.close()
    },
    { scope: 'worker', box: true },
  ],
})
