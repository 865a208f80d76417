/**
 * Emulator fixtures, after Playwright's own server fixtures: one emulator per worker (`_emulator`, in
 * ./scrub.ts with every worker fixture), reset before each test (`emulator`), so tests share nothing.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { EXCHANGE_CHANNEL, type Exchange } from '../../src/http/client.js'
import { redactor } from '../../src/redact.js'
import { exchangeTitle, formatExchange } from '../../src/report/exchange.js'
import { test as base } from './scrub.js'

export interface ExchangeLog {
  /** The exchanges of this test so far (raw: never print them, attach() masks). */
  readonly exchanges: readonly Exchange[]
  /** Attach those not attached yet, masked, one attachment each (also done when the test ends). */
  attach(): Promise<void>
}

export const test = base.extend<{ emulator: RunningEmulator; httpExchanges: ExchangeLog }>({
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
  emulator: async ({ _emulator }, use) => {
    _emulator.reset()
    await use(_emulator)
  },
})

export { expect } from '@playwright/test'
