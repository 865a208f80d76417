/**
 * The emulator's memory: apps, users, browser sessions, pending authorizations, codes and tokens.
 * Random values come from node:crypto; time from the emulator's clock.
 */
import { randomBytes, randomInt } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import type { Clock } from './clock.js'
import type { ConnectedApp, EmulatorUser, Seed } from './seed.js'

/** Codes expire after 15 minutes (Salesforce Help "remoteaccess_terminology"). */
export const CODE_TTL_MS = 15 * 60 * 1000

/**
 * Salesforce's default session timeout (Setup > Session Settings > "Timeout value": 2 hours). Access
 * tokens carry no expires_in; they die with the session (docs/salesforce-oauth.md §8.15).
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 2 * 60 * 60 * 1000

/**
 * Hard bounds on every store, so an emulator under load stays bounded in memory: when a store is full the
 * oldest entry goes first. Far above what a test or a flow needs; a soak run reaches them (documented in
 * docs/security.md, Emulator).
 */
export interface Limits {
  readonly accessTokens: number
  readonly refreshTokens: number
  /** Refresh tokens retired by rotation, kept to spot reuse. */
  readonly retired: number
  readonly codes: number
  readonly pending: number
  readonly sessions: number
  readonly verifying: number
  readonly rememberedDevices: number
  readonly approvals: number
  readonly mailbox: number
  /** Distinct paths in the request log (`hits`); any further path is counted under OTHER_PATHS. */
  readonly hitPaths: number
}

export const DEFAULT_LIMITS: Limits = {
  accessTokens: 20_000,
  refreshTokens: 10_000,
  retired: 10_000,
  codes: 10_000,
  pending: 10_000,
  sessions: 10_000,
  verifying: 1_000,
  rememberedDevices: 1_000,
  approvals: 10_000,
  mailbox: 100,
  hitPaths: 256,
}

/** Requests kept for the console's log. */
export const REQUEST_LOG = 100

/** The request log's bucket for paths beyond `Limits.hitPaths`. */
export const OTHER_PATHS = '(other)'

/** A Map that drops its oldest entry (insertion order) when a new key would exceed `limit`. */
export class BoundedMap<K, V> extends Map<K, V> {
  limit = Infinity
  override set(key: K, value: V): this {
    if (!this.has(key)) {
      for (const oldest of this.keys()) {
        if (this.size < this.limit) break
        this.delete(oldest)
      }
    }
    return super.set(key, value)
  }
}

/**
 * A BoundedMap whose entries die `ttl()` after they were last set, judged by the emulator's clock: a dead
 * entry is gone for get/has (lazy), and sweep() removes them (`full` also past entries set out of order,
 * e.g. after the clock was set back). Setting a key again renews it.
 */
export class TimedMap<K, V> extends BoundedMap<K, V> {
  /** When each key was last set, oldest first (re-set keys move to the end). */
  readonly #at = new Map<K, number>()
  readonly #clock: Clock
  readonly #ttl: () => number
  readonly #onExpire: ((key: K, value: V) => void) | undefined
  /** `onExpire`: told of each entry that dies of age (not of delete()), e.g. for the console's ledger. */
  constructor(clock: Clock, ttl: () => number, onExpire?: (key: K, value: V) => void) {
    super()
    this.#clock = clock
    this.#ttl = ttl
    this.#onExpire = onExpire
  }
  #expire(key: K): void {
    const value = super.get(key)
    if (value !== undefined) this.#onExpire?.(key, value)
    this.delete(key)
  }
  override set(key: K, value: V): this {
    super.set(key, value)
    this.#at.delete(key)
    this.#at.set(key, this.#clock.now())
    return this
  }
  override get(key: K): V | undefined {
    return this.has(key) ? super.get(key) : undefined
  }
  override has(key: K): boolean {
    const at = this.#at.get(key)
    if (at === undefined) return false
    if (at + this.#ttl() > this.#clock.now()) return true
    this.#expire(key)
    return false
  }
  override delete(key: K): boolean {
    this.#at.delete(key)
    return super.delete(key)
  }
  override clear(): void {
    this.#at.clear()
    super.clear()
  }
  /** When the entry was last set (undefined when absent). */
  setAt(key: K): number | undefined {
    return this.#at.get(key)
  }
  /** Remove dead entries: from the oldest until a live one, or (`full`) all of them. */
  sweep(full = false): void {
    const deadline = this.#clock.now() - this.#ttl()
    for (const [key, at] of this.#at) {
      if (at > deadline) {
        if (full) continue
        break
      }
      this.#expire(key)
    }
  }
}

export interface PendingAuthorization {
  readonly clientId: string
  readonly redirectUri: string
  readonly state: string | undefined
  readonly scope: string
  readonly codeChallenge: string | undefined
  readonly codeChallengeMethod: 'S256' | 'plain' | undefined
  readonly prompt: readonly string[]
  /** OpenID Connect: carried into the id_token of the code exchange (oidc.ts). */
  readonly nonce?: string | undefined
  /** OpenID Connect `max_age` in seconds, when sent: the id_token then carries auth_time. */
  readonly maxAge?: number | undefined
  /** `response_type=token`: the user-agent flow answers in the fragment, with no code (user-agent.ts). */
  readonly responseType?: 'code' | 'token'
}

export interface IssuedCode {
  readonly clientId: string
  readonly redirectUri: string
  readonly username: string
  readonly scope: string
  readonly codeChallenge: string | undefined
  readonly codeChallengeMethod: 'S256' | 'plain' | undefined
  /** The host the code was issued on: redeeming it at another host is an authentication failure. */
  readonly host: string
  readonly expiresAt: number
  /** OpenID Connect: the authorize request's nonce, and the login time when max_age or prompt=login asked for it. */
  readonly nonce?: string | undefined
  readonly authTime?: number | undefined
}

export interface RefreshTokenRecord {
  readonly clientId: string
  readonly username: string
  readonly scope: string
  readonly issuedAt: number
  /** For the idle timeout ("Refresh token is valid until … not used for N"). */
  readonly lastUsedAt: number
  /** The first token of a rotation chain; reusing a retired member revokes the whole family. */
  readonly family?: string
}

/** A code or token that ended, as the console shows it: masked, never the value. */
export interface EndedEntry {
  readonly masked: string
  readonly kind: 'code' | 'access' | 'refresh'
  readonly username: string
  readonly state: 'used' | 'revoked' | 'expired'
  readonly at: number
}

const ENDED_LOG = 100

export interface AccessTokenRecord {
  readonly clientId: string
  readonly username: string
  readonly scope: string
  readonly issuedAt: number
  /** The refresh token it came from, so revoking that one revokes this too. */
  readonly refreshToken: string | undefined
}

/**
 * A login held on a page between the password and the session (docs/login-pages.md): password change,
 * verification-method registration, an extra verification method, an org login flow. Cookie `hid`.
 */
export interface HeldLogin {
  readonly username: string
  readonly startUrl: string
  /** Pages of the chain already passed (so the next one is shown, not this one again). */
  readonly passed: readonly string[]
  /** The code texted for the SMS verification page of this login (a secret). */
  readonly smsCode?: string
}

/** A WebAuthn credential the user registered (emulator: enrolment page or the control API). */
export interface StoredPasskey {
  readonly id: Buffer
  readonly publicKey: KeyObject
  signCount: number
}

/** A WebAuthn challenge issued to a page: single-use, for this user and purpose. */
export interface IssuedChallenge {
  readonly username: string
  readonly purpose: 'create' | 'get'
}

const CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._'

function randomFrom(alphabet: string, n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) s += alphabet.charAt(randomInt(alphabet.length))
  return s
}

/** `aPrx` + 70 of [A-Za-z0-9._] + `==`: 76 characters, as real codes measure (docs/salesforce-oauth.md §1.4). */
export function newCode(): string {
  return `aPrx${randomFrom(CODE_ALPHABET, 70)}==`
}

/** `<15-char org id>!<opaque>` (docs/salesforce-oauth.md §2.2). */
export function newAccessToken(orgId: string): string {
  return `${orgId.slice(0, 15)}!AQ0AQ${randomBytes(72).toString('base64url').replace(/[-_]/g, '.')}`
}

/** `5Aep861` + opaque, 87 characters like the samples in docs/salesforce-oauth.md §2.2. */
export function newRefreshToken(): string {
  return `5Aep861${randomFrom(CODE_ALPHABET, 80)}`
}

export interface StateOptions {
  /** Partial limits over DEFAULT_LIMITS (tests use small ones to reach them). */
  readonly limits?: Partial<Limits>
  /** The org's session timeout, read at each use (a behaviour switch). */
  readonly sessionTimeoutMs?: () => number
}

export class EmulatorState {
  readonly limits: Limits
  readonly apps = new Map<string, ConnectedApp>()
  readonly users = new Map<string, EmulatorUser>()
  /** Browser sessions (cookie `sid`) → username; they die with the session timeout after login. */
  readonly sessions: TimedMap<string, string>
  readonly pending: TimedMap<string, PendingAuthorization>
  readonly codes: TimedMap<string, IssuedCode>
  /** Access tokens die when unused for the session timeout; use them through useAccessToken() to renew. */
  readonly accessTokens: TimedMap<string, AccessTokenRecord>
  /** Not time-bound (Salesforce's default policy: valid until revoked); at most maxApprovals per user per app. */
  readonly refreshTokens: BoundedMap<string, RefreshTokenRecord>
  /** Refresh tokens retired by rotation, to spot reuse. */
  readonly retired: BoundedMap<string, RefreshTokenRecord>
  /** `${username} ${clientId}` → approved scopes. */
  readonly approvals: BoundedMap<string, string>
  /** Logins waiting for identity verification: cookie `vid` → who, where to, and how. */
  readonly verifying: TimedMap<string, { username: string; startUrl: string; method: 'email' | 'totp'; emailCode: string | undefined; attempts: number }>
  /** Logins held on a page before the session (cookie `hid`). */
  readonly held: TimedMap<string, HeldLogin>
  /** WebAuthn credentials per username. */
  readonly passkeys = new Map<string, StoredPasskey[]>()
  /** Users who connected an authenticator app on the registration prompt (not asked again). */
  readonly totpRegistered = new Set<string>()
  /** WebAuthn challenges (base64url) issued and not used yet. */
  readonly challenges: TimedMap<string, IssuedChallenge>
  /** "Remember this browser" tokens (cookie `sfdc_rd`). */
  readonly rememberedDevices = new Set<string>()
  /** The test double of the user's inbox: verification codes "emailed", newest last. */
  readonly mailbox: { to: string; code: string }[] = []
  /** The test double of the user's phone: verification codes "texted" (SMS), newest last. */
  readonly texts: { to: string; code: string }[] = []
  /** Requests per path, so tests can prove what was (not) sent again. */
  readonly hits = new Map<string, number>()
  /**
   * Codes and tokens that ended (used, revoked, expired), newest last, for the console: masked when
   * recorded, so the ledger never holds a live secret. Bounded like the request log.
   */
  readonly ended: EndedEntry[] = []
  /** The newest requests (path only: a query may hold a code), for the console. */
  readonly requests: { at: number; method: string; path: string; status: number }[] = []
  #writes = 0

  constructor(readonly seed: Seed, readonly clock: Clock, options: StateOptions = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits }
    const session = options.sessionTimeoutMs ?? (() => DEFAULT_SESSION_TIMEOUT_MS)
    const l = this.limits
    this.sessions = Object.assign(new TimedMap<string, string>(clock, session), { limit: l.sessions })
    this.pending = Object.assign(new TimedMap<string, PendingAuthorization>(clock, session), { limit: l.pending })
    this.codes = Object.assign(new TimedMap<string, IssuedCode>(clock, () => CODE_TTL_MS, (c, r) => this.end(c, 'code', r.username, 'expired')), { limit: l.codes })
    this.accessTokens = Object.assign(new TimedMap<string, AccessTokenRecord>(clock, session, (t, r) => this.end(t, 'access', r.username, 'expired')), { limit: l.accessTokens })
    this.verifying = Object.assign(new TimedMap<string, { username: string; startUrl: string; method: 'email' | 'totp'; emailCode: string | undefined; attempts: number }>(clock, session), { limit: l.verifying })
    this.held = Object.assign(new TimedMap<string, HeldLogin>(clock, session), { limit: l.verifying })
    // A WebAuthn ceremony's timeout is minutes (§5.4 "timeout"); five is plenty.
    this.challenges = Object.assign(new TimedMap<string, IssuedChallenge>(clock, () => 5 * 60 * 1000), { limit: l.verifying })
    this.refreshTokens = Object.assign(new BoundedMap<string, RefreshTokenRecord>(), { limit: l.refreshTokens })
    this.retired = Object.assign(new BoundedMap<string, RefreshTokenRecord>(), { limit: l.retired })
    this.approvals = Object.assign(new BoundedMap<string, string>(), { limit: l.approvals })
    this.reset()
  }

  reset(): void {
    for (const m of [this.apps, this.users, this.sessions, this.pending, this.codes, this.accessTokens, this.refreshTokens, this.approvals, this.hits, this.verifying, this.retired, this.held, this.passkeys, this.challenges]) m.clear()
    this.rememberedDevices.clear()
    this.totpRegistered.clear()
    this.mailbox.length = 0
    this.texts.length = 0
    this.requests.length = 0
    this.ended.length = 0
    this.apps.set(this.seed.app.clientId, this.seed.app)
    this.users.set(this.seed.user.username, this.seed.user)
  }

  addApp(app: ConnectedApp): void {
    this.apps.set(app.clientId, app)
  }

  addUser(user: EmulatorUser): void {
    this.users.set(user.username, user)
  }

  newSession(username: string): string {
    const sid = randomBytes(24).toString('base64url')
    this.sessions.set(sid, username)
    return sid
  }

  issueCode(p: PendingAuthorization, username: string, host: string, authTime?: number): string {
    const code = newCode()
    this.codes.set(code, { clientId: p.clientId, redirectUri: p.redirectUri, username, scope: p.scope, codeChallenge: p.codeChallenge, codeChallengeMethod: p.codeChallengeMethod, host, expiresAt: this.clock.now() + CODE_TTL_MS, nonce: p.nonce, authTime })
    return code
  }

  /** A live access token, renewed by this use (the session timeout counts from the last use); undefined when unknown or expired. */
  useAccessToken(token: string): AccessTokenRecord | undefined {
    const rec = this.accessTokens.get(token)
    if (rec !== undefined) this.accessTokens.set(token, rec)
    return rec
  }

  /** Revoke a refresh token and every access token issued from it (`why`: expired by the idle timeout). */
  revokeRefreshToken(token: string, why: 'revoked' | 'expired' = 'revoked'): void {
    const rec = this.refreshTokens.get(token)
    if (rec !== undefined) this.end(token, 'refresh', rec.username, why)
    this.refreshTokens.delete(token)
    for (const [at, r] of this.accessTokens) {
      if (r.refreshToken !== token) continue
      this.end(at, 'access', r.username, 'revoked')
      this.accessTokens.delete(at)
    }
  }

  /** Note that a code or token ended (masked at once); the ledger keeps the newest ENDED_LOG. */
  end(token: string, kind: EndedEntry['kind'], username: string, state: EndedEntry['state']): void {
    this.ended.push({ masked: `${token.slice(0, 4)}…(${token.length} chars)`, kind, username, state, at: this.clock.now() })
    if (this.ended.length > ENDED_LOG) this.ended.splice(0, this.ended.length - ENDED_LOG)
  }

  hit(path: string): void {
    const key = this.hits.has(path) || this.hits.size < this.limits.hitPaths - 1 ? path : OTHER_PATHS
    this.hits.set(key, (this.hits.get(key) ?? 0) + 1)
  }

  logRequest(method: string, path: string, status: number): void {
    this.requests.push({ at: this.clock.now(), method: method.slice(0, 16), path: path.slice(0, 200), status })
    if (this.requests.length > REQUEST_LOG) this.requests.splice(0, this.requests.length - REQUEST_LOG)
  }

  remember(device: string): void {
    if (this.rememberedDevices.size >= this.limits.rememberedDevices) {
      const oldest = this.rememberedDevices.values().next()
      if (!oldest.done) this.rememberedDevices.delete(oldest.value)
    }
    this.rememberedDevices.add(device)
  }

  mail(to: string, code: string): void {
    this.mailbox.push({ to, code })
    if (this.mailbox.length > this.limits.mailbox) this.mailbox.splice(0, this.mailbox.length - this.limits.mailbox)
  }

  /** A code "texted" to the user's phone (bounded like the mailbox). */
  text(to: string, code: string): void {
    this.texts.push({ to, code })
    if (this.texts.length > this.limits.mailbox) this.texts.splice(0, this.texts.length - this.limits.mailbox)
  }

  /**
   * Drop what has expired: cheap (from the oldest entry until a live one) on every request, and a full
   * pass every 1024 requests or on demand (after the clock moved). No timer: nothing keeps a process alive.
   */
  prune(o: { full?: boolean; refreshIdleMs?: number } = {}): void {
    const full = o.full === true || ++this.#writes % 1024 === 0
    for (const m of [this.accessTokens, this.codes, this.sessions, this.pending, this.verifying, this.held, this.challenges]) m.sweep(full)
    const idle = o.refreshIdleMs ?? 0
    if (full && idle > 0) {
      const now = this.clock.now()
      for (const [t, r] of this.refreshTokens) if (now - r.lastUsedAt > idle) this.revokeRefreshToken(t, 'expired')
    }
  }

  /** Counts only: safe to show over the control endpoint. */
  counts(): Record<string, number> {
    return {
      apps: this.apps.size,
      users: this.users.size,
      sessions: this.sessions.size,
      pending: this.pending.size,
      codes: this.codes.size,
      accessTokens: this.accessTokens.size,
      refreshTokens: this.refreshTokens.size,
      retired: this.retired.size,
      approvals: this.approvals.size,
      verifying: this.verifying.size,
      held: this.held.size,
      passkeys: [...this.passkeys.values()].reduce((n, l) => n + l.length, 0),
      rememberedDevices: this.rememberedDevices.size,
      mailbox: this.mailbox.length,
      texts: this.texts.length,
      hitPaths: this.hits.size,
      tokenRequests: this.hits.get('/services/oauth2/token') ?? 0,
    }
  }
}
