/**
 * Emulator fixtures, after Playwright's own server fixtures: one emulator per worker (`_emulator`,
 * started on a free port), reset before each test (`emulator`), so tests share nothing.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { appendFileSync } from 'node:fs'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { EXCHANGE_CHANNEL, type Exchange } from '../../src/http/client.js'
import { redactor } from '../../src/redact.js'
import { exchangeTitle, formatExchange } from '../../src/report/exchange.js'
import { secretLedger } from './env.js'
import { test as base } from './scrub.js'

export interface ExchangeLog {
  /** The exchanges of this test so far (raw: never print them, attach() masks). */
  readonly exchanges: readonly Exchange[]
  /** Attach those not attached yet, masked, one attachment each (also done when the test ends). */
  attach(): Promise<void>
}

export const test = base.extend<{ emulator: RunningEmulator; httpExchanges: ExchangeLog }, { _emulator: RunningEmulator }>({
  // Every HTTP exchange the harness's client makes during a test becomes a masked text attachment in
  // the HTML report (request and response, like Postman's console). Auto: no test has to ask for it.
  httpExchanges: [
    async ({}, use, testInfo) => {
      const exchanges: Exchange[] = []
      let attached = 0
      // Every client's exchanges, also those of clients a flow or a command makes for itself.
      const onExchange = (e: unknown) => exchanges.push(e as Exchange)
      subscribe(EXCHANGE_CHANNEL, onExchange)
      const attach = async () => {
        for (; attached < exchanges.length; attached++) {
          const e = exchanges[attached] as Exchange
          await testInfo.attach(exchangeTitle(e, attached + 1), { body: formatExchange(e, redactor), contentType: 'text/plain' })
        }
      }
      await use({ exchanges, attach })
      unsubscribe(EXCHANGE_CHANNEL, onExchange)
      await attach()
    },
    { auto: true },
  ],
  _emulator: [
    async ({}, use) => {
      const ledger = secretLedger()
      const emulator = await startEmulator({
        host: '127.0.0.1',
        port: 0,
        // Every secret the emulator sees or issues is registered, so the worker's scrub (./scrub.ts)
        // masks it even where the harness never parsed it; the secret scans' nested runs also log it.
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
  emulator: async ({ _emulator }, use) => {
    _emulator.reset()
    await use(_emulator)
  },
})

export { expect } from '@playwright/test'
