/**
 * The emulator as a request handler, separate from listening (server.ts), so tests can create many and
 * servers stay thin. Routes: one module per endpoint under routes/.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { DEFAULT_BEHAVIOUR, parseBehaviour, type Behaviour } from './behaviour.js'
import { ControllableClock } from './clock.js'
import { CONSENT_PATH, ERROR_PAGE_PATH, type Emulator, type Route } from './context.js'
import { applyFault } from './faults.js'
import { html, makeCtx } from './http-util.js'
import { authorize } from './routes/authorize.js'
import { consentGet, consentPost } from './routes/consent.js'
import { control } from './routes/control.js'
import { errorPageGet } from './routes/error-page.js'
import { identity, userinfo } from './routes/identity.js'
import { introspect } from './routes/introspect.js'
import { loginGet, loginPost } from './routes/login.js'
import { revoke } from './routes/revoke.js'
import { token } from './routes/token.js'
import { EMAIL_PATH, TOTP_PATH, verificationGet, verificationPost } from './routes/verification.js'
import { keys, openidConfiguration } from './routes/well-known.js'
import { DEMO_SEED, type Seed } from './seed.js'
import { EmulatorState } from './state.js'
import { notFoundPage } from './views.js'

export interface EmulatorApp extends Emulator {
  readonly seed: Seed
  readonly clock: ControllableClock
  handle(req: IncomingMessage, res: ServerResponse): void
  /** Merge behaviour switches (validated: unknown keys throw). */
  configure(partial: unknown): void
  /** Seeded state, default behaviour, real time. */
  reset(): void
}

const ROUTES: Readonly<Record<string, Route>> = {
  'GET /services/oauth2/authorize': authorize,
  'POST /services/oauth2/token': token,
  'POST /services/oauth2/revoke': revoke,
  'GET /services/oauth2/revoke': revoke,
  'POST /services/oauth2/introspect': introspect,
  'GET /services/oauth2/userinfo': userinfo,
  'POST /services/oauth2/userinfo': userinfo,
  'GET /.well-known/openid-configuration': openidConfiguration,
  'GET /id/keys': keys,
  'GET /': loginGet,
  'POST /': loginPost,
  [`GET ${CONSENT_PATH}`]: consentGet,
  [`POST ${CONSENT_PATH}`]: consentPost,
  [`GET ${ERROR_PAGE_PATH}`]: errorPageGet,
  [`GET ${EMAIL_PATH}`]: verificationGet,
  [`POST ${EMAIL_PATH}`]: verificationPost,
  [`GET ${TOTP_PATH}`]: verificationGet,
  [`POST ${TOTP_PATH}`]: verificationPost,
}

export interface EmulatorOptions {
  readonly seed?: Seed
  readonly clock?: ControllableClock
  /** Called with every secret the emulator sees or issues: passwords, client secrets, codes, verifiers, tokens. */
  readonly onSecret?: (value: string) => void
}

export function createEmulatorApp(options: EmulatorOptions = {}): EmulatorApp {
  const seed = options.seed ?? DEMO_SEED
  const clock = options.clock ?? new ControllableClock()
  const state = new EmulatorState(seed, clock)
  let behaviour: Behaviour = DEFAULT_BEHAVIOUR

  const app: EmulatorApp = {
    seed,
    clock,
    state,
    behaviour: () => behaviour,
    secret: (value) => {
      if (value) options.onSecret?.(value)
    },
    configure(partial) {
      behaviour = { ...behaviour, ...parseBehaviour(partial) }
    },
    reset() {
      state.reset()
      behaviour = DEFAULT_BEHAVIOUR
      clock.reset()
    },
    handle(req, res) {
      const ctx = makeCtx(req, res)
      const path = ctx.url.pathname
      const route = ROUTES[`${req.method ?? 'GET'} ${path}`] ?? (req.method === 'GET' && /^\/id\/00D\w+\/005\w+$/.test(path) ? identity : undefined)
      const run = async (): Promise<void> => {
        state.hit(path)
        if (behaviour.fault !== 'none' && behaviour.faultPaths.includes(path)) {
          const fault = behaviour.fault
          if (behaviour.faultTimes > 0) behaviour = { ...behaviour, ...(behaviour.faultTimes === 1 ? { fault: 'none', faultTimes: 0 } : { faultTimes: behaviour.faultTimes - 1 }) }
          if (await applyFault(ctx, fault, behaviour.tokenDelayMs)) return
        }
        if (path.startsWith('/__emulator/')) await control(ctx, app)
        else if (route) await route(ctx, app)
        else html(ctx, 404, notFoundPage())
      }
      run().catch(() => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' })
        res.end('emulator error')
      })
    },
  }
  return app
}
