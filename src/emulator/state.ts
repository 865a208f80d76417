/**
 * The emulator's memory: apps, users, browser sessions, pending authorizations, codes and tokens.
 * Random values come from node:crypto; time from the emulator's clock.
 */
import { randomBytes, randomInt } from 'node:crypto'
import type { Clock } from './clock.js'
import type { EmulatorApp, EmulatorUser, Seed } from './seed.js'

/** Codes expire after 15 minutes (Salesforce Help "remoteaccess_terminology"). */
export const CODE_TTL_MS = 15 * 60 * 1000

export interface PendingAuthorization {
  readonly clientId: string
  readonly redirectUri: string
  readonly state: string | undefined
  readonly scope: string
  readonly codeChallenge: string | undefined
  readonly codeChallengeMethod: 'S256' | 'plain' | undefined
  readonly prompt: readonly string[]
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

export interface AccessTokenRecord {
  readonly clientId: string
  readonly username: string
  readonly scope: string
  readonly issuedAt: number
  /** The refresh token it came from, so revoking that one revokes this too. */
  readonly refreshToken: string | undefined
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

export class EmulatorState {
  readonly apps = new Map<string, EmulatorApp>()
  readonly users = new Map<string, EmulatorUser>()
  readonly sessions = new Map<string, string>()
  readonly pending = new Map<string, PendingAuthorization>()
  readonly codes = new Map<string, IssuedCode>()
  readonly accessTokens = new Map<string, AccessTokenRecord>()
  readonly refreshTokens = new Map<string, RefreshTokenRecord>()
  /** Refresh tokens retired by rotation, to spot reuse. */
  readonly retired = new Map<string, RefreshTokenRecord>()
  /** `${username} ${clientId}` → approved scopes. */
  readonly approvals = new Map<string, string>()
  /** Logins waiting for identity verification: cookie `vid` → who, where to, and how. */
  readonly verifying = new Map<string, { username: string; startUrl: string; method: 'email' | 'totp'; emailCode: string | undefined; attempts: number }>()
  /** "Remember this browser" tokens (cookie `sfdc_rd`). */
  readonly rememberedDevices = new Set<string>()
  /** The test double of the user's inbox: verification codes "emailed", newest last. */
  readonly mailbox: { to: string; code: string }[] = []
  /** Requests per path, so tests can prove what was (not) sent again. */
  readonly hits = new Map<string, number>()

  constructor(readonly seed: Seed, readonly clock: Clock) {
    this.reset()
  }

  reset(): void {
    for (const m of [this.apps, this.users, this.sessions, this.pending, this.codes, this.accessTokens, this.refreshTokens, this.approvals, this.hits, this.verifying, this.retired]) m.clear()
    this.rememberedDevices.clear()
    this.mailbox.length = 0
    this.apps.set(this.seed.app.clientId, this.seed.app)
    this.users.set(this.seed.user.username, this.seed.user)
  }

  addApp(app: EmulatorApp): void {
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

  issueCode(p: PendingAuthorization, username: string, host: string): string {
    const code = newCode()
    this.codes.set(code, { clientId: p.clientId, redirectUri: p.redirectUri, username, scope: p.scope, codeChallenge: p.codeChallenge, codeChallengeMethod: p.codeChallengeMethod, host, expiresAt: this.clock.now() + CODE_TTL_MS })
    return code
  }

  /** Revoke a refresh token and every access token issued from it. */
  revokeRefreshToken(token: string): void {
    this.refreshTokens.delete(token)
    for (const [at, rec] of this.accessTokens) if (rec.refreshToken === token) this.accessTokens.delete(at)
  }

  hit(path: string): void {
    this.hits.set(path, (this.hits.get(path) ?? 0) + 1)
  }

  /** Counts only: safe to show over the control endpoint. */
  counts(): Record<string, number> {
    return { apps: this.apps.size, users: this.users.size, sessions: this.sessions.size, pending: this.pending.size, codes: this.codes.size, accessTokens: this.accessTokens.size, refreshTokens: this.refreshTokens.size, approvals: this.approvals.size, tokenRequests: this.hits.get('/services/oauth2/token') ?? 0 }
  }
}
