/**
 * The embedded Salesforce emulator, for other test suites: started on a free loopback port with its
 * seeded (fake) Connected App and user, every secret it sees or issues registered with the redactor.
 */
import { DEFAULT_BEHAVIOUR, startEmulator as startServer, type Behaviour, type ControllableClock, type RunningEmulator, type UserSwitches } from '../emulator/index.js'
import { redactor } from '../redact.js'

export type { Behaviour as EmulatorBehaviour } from '../emulator/index.js'

/** Options of {@link startEmulator}. */
export interface StartEmulatorOptions {
  /** Loopback address to bind (default `127.0.0.1`). */
  readonly host?: string
  /** Port (default 0: a free one). */
  readonly port?: number
}

/** A running emulator: where it is, who may log in, and its switches and clock. */
export interface SalesforceEmulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:39215`: use it as `SF_LOGIN_URL`. */
  readonly url: string
  /** The seeded Connected App's consumer key (a fake). */
  readonly clientId: string
  /** The seeded Connected App's consumer secret (a fake, registered with the redactor). */
  readonly clientSecret: string
  /** The seeded user (a fake). */
  readonly username: string
  /** The seeded user's password (a fake, registered with the redactor). */
  readonly password: string
  /** The Callback URLs the seeded app accepts, compared byte for byte as Salesforce does. */
  readonly redirectUris: readonly string[]
  /**
   * Switch behaviour (faults, rotation, TTLs, ...; see docs/emulator.md). Merged into the current switches;
   * an unknown key or a bad value throws. With `user` (a username of the emulator) the pages after the
   * password are switched for that user only, e.g. `{ user: 'a@b.c', passwordExpired: true }`.
   */
  configure(switches: Partial<Behaviour> | (UserSwitches & { readonly user: string })): void
  /** The emulator's clock: expiry is judged by it only, so advance it instead of waiting. */
  readonly clock: ControllableClock
  /** Back to the seeded state: default switches, real time, no sessions, codes or tokens. */
  reset(): void
  /** Default switches and real time, keeping sessions and issued tokens (`reset()` drops those too). */
  resetSwitches(): void
  /** Stop listening and drop every connection. */
  close(): Promise<void>
}

/**
 * Start the emulator, independent of any configuration: Salesforce's OAuth endpoints and login pages as
 * docs/salesforce-oauth.md describes them (Salesforce Help: "OAuth 2.0 Web Server Flow for Web App
 * Integration", "OAuth 2.0 Refresh Token Flow for Renewed Sessions", "Revoke OAuth Tokens").
 *
 * @throws a Node `listen` error (`EADDRINUSE`, `EADDRNOTAVAIL`), not a harness code, when `port` is taken
 *   or `host` is not an address of this machine.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<SalesforceEmulator> {
  const running = await startServer({ host: options.host ?? '127.0.0.1', port: options.port ?? 0, onSecret: (v: string) => redactor.add(v) })
  const { app, user } = running.app.seed
  for (const v of [user.password, user.totpSecret, app.clientSecret]) redactor.add(v)
  const emulator: SalesforceEmulator = {
    url: running.url,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    username: user.username,
    password: user.password,
    redirectUris: app.redirectUris,
    configure: (switches) => running.app.configure(switches),
    clock: running.app.clock,
    reset: () => running.reset(),
    resetSwitches: () => {
      running.app.configure(DEFAULT_BEHAVIOUR)
      running.app.clock.reset()
    },
    close: () => running.close(),
  }
  handlers.set(emulator, running)
  return emulator
}

/** The server behind each emulator this module started (for {@link resetKeeping}). */
const handlers = new WeakMap<SalesforceEmulator, RunningEmulator>()

/**
 * `reset()`, except the access and refresh tokens in `keep` that are still live: the fixtures' worker token
 * set survives a test's reset (sf-oauth-harness/test), every other token, code, session, consent, switch and
 * the clock do not. A kept token's life starts again at the reset.
 *
 * @internal
 */
export function resetKeeping(emulator: SalesforceEmulator, keep: readonly (string | undefined)[]): void {
  const running = handlers.get(emulator)
  if (running === undefined) {
    emulator.reset()
    return
  }
  const { state } = running.app
  const tokens = keep.filter((t): t is string => t !== undefined)
  const access = tokens.flatMap((t) => { const r = state.accessTokens.get(t); return r === undefined ? [] : [[t, r] as const] })
  const refresh = tokens.flatMap((t) => { const r = state.refreshTokens.get(t); return r === undefined ? [] : [[t, r] as const] })
  running.reset()
  for (const [t, r] of refresh) state.refreshTokens.set(t, r)
  for (const [t, r] of access) state.accessTokens.set(t, r)
}
