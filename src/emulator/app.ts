/**
 * The emulator as a request handler, separate from listening (server.ts), so tests can create many and
 * servers stay thin. Routes: one module per endpoint under routes/.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { DEFAULT_BEHAVIOUR, parseConfigure, type Behaviour } from './behaviour.js'
import { ControllableClock } from './clock.js'
import { CONSENT_PATH, ERROR_PAGE_PATH, type Emulator, type Route } from './context.js'
import { applyFault } from './faults.js'
import { requestInMemory } from './in-memory.js'
import { ClientError, html, makeCtx } from './http-util.js'
import { authorize } from './routes/authorize.js'
import { consentGet, consentPost } from './routes/consent.js'
import { control } from './routes/control.js'
import { rest, REST_PATH } from './routes/rest.js'
import { errorPageGet } from './routes/error-page.js'
import { identity, userinfo } from './routes/identity.js'
import { introspect } from './routes/introspect.js'
import { loginGet, loginPost } from './routes/login.js'
import { revoke } from './routes/revoke.js'
import { token } from './routes/token.js'
import { EMAIL_PATH, TOTP_PATH, verificationGet, verificationPost } from './routes/verification.js'
import { keys, openidConfiguration } from './routes/well-known.js'
import { changePasswordGet, changePasswordPost, chooseMethodGet, maintenanceGet, orgLoginFlowGet, orgLoginFlowPost, otherVerificationGet, phoneGet, smsVerificationPost, phonePost, totpRegisterGet, totpRegisterPost } from './routes/after-login.js'
import { passkeyEnrolGet, passkeyEnrolPost, passkeyVerifyGet, passkeyVerifyPost } from './routes/passkey.js'
import { CHANGE_PASSWORD_PATH, CHOOSE_METHOD_PATH, LIGHTNING_PATH, MAINTENANCE_PATH, ORG_LOGIN_FLOW_PATH, PASSKEY_ENROL_PATH, PASSKEY_VERIFY_PATH, PHONE_PATH, PUSH_PATH, SMS_PATH, TOTP_REGISTER_PATH } from './login-pages.js'
import { DEMO_SEED, type Seed } from './seed.js'
import { EmulatorState, type Limits } from './state.js'
import { notFoundPage } from './views.js'

export interface EmulatorHandler extends Emulator {
  readonly seed: Seed
  readonly clock: ControllableClock
  handle(req: IncomingMessage, res: ServerResponse): void
  /** The same handler as a fetch-style function, in memory (no port): `app.request('/services/oauth2/token', init)`. */
  request(input: string | URL | Request, init?: RequestInit): Promise<Response>
  /**
   * Merge behaviour switches (validated: unknown keys throw). With `user: '<username>'` (a user of the
   * emulator) the switches apply to that user only, over the org's (behaviour.ts USER_KEYS).
   */
  configure(partial: unknown): void
  /** Seeded state, default behaviour, real time. */
  reset(): void
  /** Drop expired codes, tokens and sessions now (also done as requests arrive). */
  prune(full?: boolean): void
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
  // Pages between login and the callback (docs/login-pages.md).
  [`GET ${CHANGE_PASSWORD_PATH}`]: changePasswordGet,
  [`POST ${CHANGE_PASSWORD_PATH}`]: changePasswordPost,
  [`GET ${PHONE_PATH}`]: phoneGet,
  [`POST ${PHONE_PATH}`]: phonePost,
  [`GET ${MAINTENANCE_PATH}`]: maintenanceGet,
  [`GET ${ORG_LOGIN_FLOW_PATH}`]: orgLoginFlowGet,
  [`POST ${ORG_LOGIN_FLOW_PATH}`]: orgLoginFlowPost,
  [`GET ${CHOOSE_METHOD_PATH}`]: chooseMethodGet,
  [`GET ${TOTP_REGISTER_PATH}`]: totpRegisterGet,
  [`POST ${TOTP_REGISTER_PATH}`]: totpRegisterPost,
  [`GET ${SMS_PATH}`]: otherVerificationGet,
  [`POST ${SMS_PATH}`]: smsVerificationPost,
  [`GET ${PUSH_PATH}`]: otherVerificationGet,
  [`GET ${LIGHTNING_PATH}`]: otherVerificationGet,
  [`GET ${PASSKEY_ENROL_PATH}`]: passkeyEnrolGet,
  [`POST ${PASSKEY_ENROL_PATH}`]: passkeyEnrolPost,
  [`GET ${PASSKEY_VERIFY_PATH}`]: passkeyVerifyGet,
  [`POST ${PASSKEY_VERIFY_PATH}`]: passkeyVerifyPost,
}

export interface EmulatorOptions {
  readonly seed?: Seed
  readonly clock?: ControllableClock
  /** Called with every secret the emulator sees or issues: passwords, client secrets, codes, verifiers, tokens. */
  readonly onSecret?: (value: string) => void
  /** Bounds on the stores (defaults: DEFAULT_LIMITS); tests make them small to reach them. */
  readonly limits?: Partial<Limits>
  /**
   * Told of every request that failed inside the emulator (a 500), as one masked line: method, path,
   * error name and a message with long values elided. Default: stderr.
   */
  readonly onError?: (line: string) => void
}

/** One line about an internal error, without anything that could be a secret from the request. */
export function maskedErrorLine(method: string, path: string, err: unknown): string {
  const name = err instanceof Error ? err.name : typeof err
  const message = err instanceof Error ? err.message : String(err)
  const mask = (t: string) =>
    t
      .replace(/"[^"]*"|'[^']*'/g, '"…"')
      .replace(/[^\s/]{24,}/g, '…')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a terminal
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
      .slice(0, 200)
  return `emulator: 500 on ${mask(method)} ${mask(path)}: ${name}: ${mask(message)}`
}

export function createEmulatorHandler(options: EmulatorOptions = {}): EmulatorHandler {
  const seed = options.seed ?? DEMO_SEED
  const clock = options.clock ?? new ControllableClock()
  let behaviour: Behaviour = DEFAULT_BEHAVIOUR
  const state = new EmulatorState(seed, clock, { ...(options.limits === undefined ? {} : { limits: options.limits }), sessionTimeoutMs: () => behaviour.sessionTimeoutMs })
  const onError = options.onError ?? ((line: string) => void process.stderr.write(`${line}\n`))

  const app: EmulatorHandler = {
    seed,
    clock,
    state,
    behaviour: () => behaviour,
    secret: (value) => {
      if (value) options.onSecret?.(value)
    },
    configure(partial) {
      const parsed = parseConfigure(partial)
      if ('org' in parsed) {
        behaviour = { ...behaviour, ...parsed.org }
        return
      }
      if (!state.users.has(parsed.user)) throw new Error('user must name a user of the emulator (create one with POST /__emulator/user)')
      behaviour = { ...behaviour, users: { ...behaviour.users, [parsed.user]: { ...behaviour.users[parsed.user], ...parsed.switches } } }
    },
    reset() {
      state.reset()
      behaviour = DEFAULT_BEHAVIOUR
      clock.reset()
    },
    prune(full = true) {
      state.prune({ full, refreshIdleMs: behaviour.refreshIdleMs })
    },
    request: (input, init) => requestInMemory((req, res) => app.handle(req, res), input, init),
    // The one error boundary: whatever a request holds, the process stays up. Client garbage is a 4xx
    // (ClientError, raised where it is found); anything else is our bug: a 500 and one masked line.
    handle(req, res) {
      const run = async (): Promise<void> => {
        const ctx = makeCtx(req, res)
        const path = ctx.url.pathname
        const route = ROUTES[`${req.method ?? 'GET'} ${path}`] ?? (req.method === 'GET' && /^\/id\/00D\w+\/005\w+$/.test(path) ? identity : req.method === 'GET' && REST_PATH.test(path) ? rest : undefined)
        state.hit(path)
        res.once('finish', () => state.logRequest(req.method ?? '', path, res.statusCode))
        state.prune({ refreshIdleMs: behaviour.refreshIdleMs })
        if (behaviour.fault !== 'none' && behaviour.faultPaths.includes(path)) {
          const fault = behaviour.fault
          if (behaviour.faultTimes > 0) behaviour = { ...behaviour, ...(behaviour.faultTimes === 1 ? { fault: 'none', faultTimes: 0 } : { faultTimes: behaviour.faultTimes - 1 }) }
          if (await applyFault(ctx, fault, behaviour.tokenDelayMs)) return
        }
        if (path.startsWith('/__emulator/')) await control(ctx, app)
        else if (route) await route(ctx, app)
        else html(ctx, 404, notFoundPage())
      }
      run().catch((err: unknown) => {
        try {
          const client = err instanceof ClientError
          if (!client) onError(maskedErrorLine(req.method ?? '', (req.url ?? '').split('?')[0] ?? '', err))
          if (res.headersSent) {
            res.destroy()
            return
          }
          const body = client ? err.message : 'emulator error'
          res.writeHead(client ? err.status : 500, { 'content-type': 'text/plain;charset=UTF-8', 'content-length': String(Buffer.byteLength(body)), ...(client ? { connection: 'close' } : {}) })
          res.end(body)
        } catch {
          res.destroy()
        }
      })
    },
  }
  return app
}
