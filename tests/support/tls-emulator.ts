/**
 * The emulator in its https mode (`--tls`: a throwaway CA made with openssl at start), one per worker,
 * reset per test, its secrets registered like the http emulator's (./emulator.ts). For the heavy
 * project: making the certificates takes a few openssl runs.
 */
import { Agent, fetch as undiciFetch } from 'undici'
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { redactor } from '../../src/redact.js'
import { test as base } from './scrub.js'

export interface TlsEmulator {
  readonly emulator: RunningEmulator & { readonly tls: NonNullable<RunningEmulator['tls']> }
  /** A fetch that trusts the emulator's CA (and nothing else). */
  readonly fetch: typeof globalThis.fetch
}

export const test = base.extend<{ tlsEmulator: TlsEmulator }, { _tlsEmulator: TlsEmulator }>({
  _tlsEmulator: [
    async ({}, use) => {
      const emulator = await startEmulator({ host: '127.0.0.1', port: 0, tls: true, onSecret: (v: string) => redactor.add(v) })
      const { app, user } = emulator.app.seed
      for (const v of [user.password, user.totpSecret, app.clientSecret]) redactor.add(v)
      const tls = emulator.tls
      if (tls === undefined) throw new Error('the emulator did not start in https mode')
      const agent = new Agent({ connect: { ca: tls.ca } })
      const trusted = ((input: Parameters<typeof undiciFetch>[0], init?: Parameters<typeof undiciFetch>[1]) => undiciFetch(input, { ...init, dispatcher: agent })) as unknown as typeof globalThis.fetch
      await use({ emulator: Object.assign(emulator, { tls }), fetch: trusted })
      await agent.close()
      await emulator.close()
    },
    { scope: 'worker', box: true },
  ],
  tlsEmulator: async ({ _tlsEmulator }, use) => {
    _tlsEmulator.emulator.reset()
    await use(_tlsEmulator)
  },
})

export { expect } from '@playwright/test'
