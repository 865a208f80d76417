/**
 * Emulator fixtures, after Playwright's own server fixtures: one emulator per worker (`_emulator`,
 * started on a free port), reset before each test (`emulator`), so tests share nothing.
 */
import { test as base } from '@playwright/test'
import { appendFileSync } from 'node:fs'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { secretLedger } from './env.js'

export const test = base.extend<{ emulator: RunningEmulator }, { _emulator: RunningEmulator }>({
  _emulator: [
    async ({}, use) => {
      const ledger = secretLedger()
      const emulator = await startEmulator({
        host: '127.0.0.1',
        port: 0,
        // The secret scan's nested run: every secret the emulator sees goes to the ledger it scans for.
        ...(ledger === undefined ? {} : { onSecret: (v: string) => appendFileSync(ledger, `${Buffer.from(v).toString('base64')}\n`) }),
      })
      await use(emulator)
      await emulator.close()
    },
    { scope: 'worker', box: true },
  ],
  emulator: async ({ _emulator }, use) => {
    _emulator.reset()
    await use(_emulator)
  },
})

export { expect } from '@playwright/test'
