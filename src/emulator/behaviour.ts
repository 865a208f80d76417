/**
 * Switchable behaviour of the emulator. Defaults are faithful to Salesforce; tests switch one thing at a
 * time through `configure()` (in process) or `POST /__emulator/configure` (another process).
 */

import { ID_TOKEN_FAULTS, type IdTokenFault } from './keys.js'

/** Faults on demand (issue: faults), applied to `faultPaths` for the next `faultTimes` requests. */
export const FAULTS = ['none', 'http500', 'http503', 'reset', 'malformed-json', 'html', 'rate-limit', 'slow', 'empty', 'wrong-types', 'missing-fields', 'huge', 'teapot', 'redirect-loop'] as const
export type Fault = (typeof FAULTS)[number]

/** Which token answers a misbehaviour switch applies to. */
export const GRANT_SCOPES = ['none', 'authorization_code', 'refresh_token', 'all'] as const
export type GrantScope = (typeof GRANT_SCOPES)[number]

/** Does a switch set to `scope` apply to an answer of `grant`? */
export function appliesTo(scope: GrantScope, grant: 'authorization_code' | 'refresh_token'): boolean {
  return scope === 'all' || scope === grant
}

/** The emulator's switches: faults, rotation, TTLs, login pages, answer formats (docs/emulator.md). */
export interface Behaviour {
  /** 'two-step': the identifier-first login page observed in 2026 (docs/salesforce-oauth.md §6.1). */
  readonly loginMode: 'one-step' | 'two-step'
  /** How long the 'slow' fault waits before the real answer (a response slower than the client's limit). */
  readonly tokenDelayMs: number
  readonly fault: Fault
  /** How many requests get the fault (then it clears); 0 means every request. */
  readonly faultTimes: number
  readonly faultPaths: readonly string[]
  /** Refresh Token Rotation for every app (the app's own setting also turns it on). */
  readonly rotation: boolean
  /** The org's "Require PKCE" setting: no code_challenge ends on the error page. */
  readonly requirePkce: boolean
  /** "Admin approved users are pre-authorized": no consent page. */
  readonly preAuthorized: boolean
  /** An admin blocked the app: OAUTH_APP_BLOCKED redirected to the callback. */
  readonly appBlocked: boolean
  /** The app is not installed in the org (Sept 2025 restriction): invalid_client on the error page. */
  readonly appInstalled: boolean
  /** The app has the refresh_token/offline_access scope. */
  readonly appRefreshScope: boolean
  readonly userActive: boolean
  /** Identity verification after the password ("Verify Your Identity"), unless the browser is remembered. */
  readonly verification: VerificationMethod
  /** Refresh tokens unused for longer than this expire (0: never). */
  readonly refreshIdleMs: number
  /** Approvals (refresh tokens) kept per user per app; the next one revokes the oldest (Salesforce: 5). */
  readonly maxApprovals: number
  // Misbehaviour: things Salesforce never does, so end-to-end tests prove the harness notices each.
  /** 'forged': every redirect to the callback carries a state other than the one sent. */
  readonly callbackState: 'echo' | 'forged'
  /** Redirect the browser here (the query appended) instead of to the registered redirect URI; null: don't. */
  readonly callbackUri: string | null
  /** Token answers whose `signature` is altered (still a well-formed base64 HMAC). */
  readonly tamperSignature: GrantScope
  /** Token answers without `instance_url`. */
  readonly dropInstanceUrl: GrantScope
  /** Token answers with an `expires_in` field (RFC 6749 §5.1 has one; Salesforce's answer does not). */
  readonly sendExpiresIn: GrantScope
  /** The refresh grant answers 503 with Retry-After before processing anything: once, or every time. */
  readonly refreshUnavailable: 'never' | 'once' | 'always'
  /**
   * The org's session timeout (Session Settings, "Timeout value"; 15 minutes to 24 hours, default 2 hours):
   * access tokens and browser sessions unused for this long are dead.
   */
  readonly sessionTimeoutMs: number
  /**
   * The org's "Block Authorization Flows" setting for the user-agent flow (Setup > OAuth and OpenID
   * Connect Settings, "Allow OAuth User-Agent Flows" off): response_type=token is refused.
   */
  readonly blockUserAgentFlow: boolean
  /** Misbehaviour: the id_token breaks one relying-party rule (keys.ts ID_TOKEN_FAULTS). */
  readonly idToken: IdTokenFault
  /** Misbehaviour: userinfo names another user in `sub` than the id_token. */
  readonly userinfoSub: 'match' | 'other'
  /**
   * Misbehaviour for replay tests (issue 17): after a good login, a page no page object knows (a new
   * interstitial, with a Continue link a person could follow), so the harness cannot pass it.
   */
  readonly unknownInterstitial: boolean
  // Pages between login and the callback (docs/login-pages.md): each off by default.
  /** "Change Your Password" before anything else (the password expired). */
  readonly passwordExpired: boolean
  /** No verification method registered and MFA required: the registration prompt ('choose': the list). */
  readonly mfaRegistration: 'none' | 'choose' | 'totp' | 'passkey'
  /** "Register Your Mobile Phone" after login (SMS identity verification is on). */
  readonly phoneRegistration: boolean
  /** The maintenance page after login ('once'), or in front of every authorize request ('always'). */
  readonly maintenance: 'none' | 'once' | 'always'
  /** An org login flow (a Visualforce page) after login, which no tool can know. */
  readonly orgLoginFlow: boolean
  /** The browser remembers this username: the login page is the chooser ('chooser') or its card ('card'). */
  readonly rememberedUsername: string | null
  readonly rememberedView: 'chooser' | 'card'
  /** "Log In with …" single sign-on buttons on the login page. */
  readonly ssoButtons: boolean
  /** Switches for one user (by username) over the org's: see USER_KEYS. Empty by default. */
  readonly users: Readonly<Record<string, UserSwitches>>
}

/**
 * The switches that may be set for one user: the pages after the password, which Salesforce shows per
 * user (password expiry, registration, verification method, login flows are per profile). The login page
 * itself (loginMode, ssoButtons, rememberedView) comes before the user is known, so it stays per org;
 * `remembered` puts the user on the browser's list of remembered usernames (the chooser).
 */
export const USER_KEYS = ['verification', 'passwordExpired', 'mfaRegistration', 'phoneRegistration', 'maintenance', 'orgLoginFlow', 'unknownInterstitial', 'userActive'] as const
export type UserSwitches = Partial<Pick<Behaviour, (typeof USER_KEYS)[number]>> & { readonly remembered?: boolean }

export const VERIFICATION_METHODS = ['none', 'email', 'totp', 'sms', 'push', 'lightning', 'passkey'] as const
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number]

export const DEFAULT_BEHAVIOUR: Behaviour = {
  loginMode: 'one-step',
  tokenDelayMs: 0,
  fault: 'none',
  faultTimes: 0,
  faultPaths: ['/services/oauth2/token'],
  rotation: false,
  requirePkce: false,
  preAuthorized: false,
  appBlocked: false,
  appInstalled: true,
  appRefreshScope: true,
  userActive: true,
  verification: 'none',
  refreshIdleMs: 0,
  maxApprovals: 5,
  callbackState: 'echo',
  callbackUri: null,
  tamperSignature: 'none',
  dropInstanceUrl: 'none',
  sendExpiresIn: 'none',
  refreshUnavailable: 'never',
  sessionTimeoutMs: 2 * 60 * 60 * 1000,
  blockUserAgentFlow: false,
  idToken: 'none',
  userinfoSub: 'match',
  unknownInterstitial: false,
  passwordExpired: false,
  mfaRegistration: 'none',
  phoneRegistration: false,
  maintenance: 'none',
  orgLoginFlow: false,
  rememberedUsername: null,
  rememberedView: 'chooser',
  ssoButtons: false,
  users: {},
}

const BOOLEAN_KEYS = ['blockUserAgentFlow', 'rotation', 'requirePkce', 'preAuthorized', 'appBlocked', 'appInstalled', 'appRefreshScope', 'userActive', 'unknownInterstitial', 'passwordExpired', 'phoneRegistration', 'orgLoginFlow', 'ssoButtons'] as const
const GRANT_SCOPE_KEYS = ['tamperSignature', 'dropInstanceUrl', 'sendExpiresIn'] as const

function isHttpUrl(v: unknown): v is string {
  if (typeof v !== 'string') return false
  try {
    const u = new URL(v)
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hash === ''
  } catch {
    return false
  }
}

/** Longest username the per-user switches take (Salesforce's limit is 80 characters). */
const MAX_USERNAME = 80

/** One user's switches, from an untrusted JSON object (only USER_KEYS and `remembered`). */
export function parseUserSwitches(input: Readonly<Record<string, unknown>>): UserSwitches {
  const out: { -readonly [K in keyof UserSwitches]: UserSwitches[K] } = {}
  for (const [k, v] of Object.entries(input)) {
    if (k === 'remembered' && typeof v === 'boolean') out.remembered = v
    else if ((USER_KEYS as readonly string[]).includes(k)) Object.assign(out, parseBehaviour({ [k]: v }))
    else throw new Error(`${k} cannot be set for one user (it is shown before the user is known, or is the org's): set it without "user"`)
  }
  return out
}

/** A username as Salesforce has them: in the form of an email address. */
function isUsername(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_USERNAME && /^[^\s@]+@[^\s@]+$/.test(v)
}

/**
 * A configure body: switches for the org, or with `"user": "<username>"` the same switches for that one
 * user only (merged into what that user has). Returns the partial behaviour and, for one user, who.
 */
export function parseConfigure(input: unknown): { org: Partial<Behaviour> } | { user: string; switches: UserSwitches } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('behaviour must be a JSON object')
  const { user, ...rest } = input as Record<string, unknown>
  if (user === undefined) return { org: parseBehaviour(rest) }
  if (!isUsername(user)) throw new Error(`user must be a username (name@domain, at most ${MAX_USERNAME} characters)`)
  return { user, switches: parseUserSwitches(rest) }
}

/** Validate a partial behaviour from an untrusted JSON body. */
export function parseBehaviour(input: unknown): Partial<Behaviour> {
  if (typeof input !== 'object' || input === null) throw new Error('behaviour must be a JSON object')
  const out: { -readonly [K in keyof Behaviour]?: Behaviour[K] } = {}
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (k === 'users' && typeof v === 'object' && v !== null && !Array.isArray(v)) {
      // The whole per-user map, replaced (e.g. DEFAULT_BEHAVIOUR's empty one).
      const users: Record<string, UserSwitches> = {}
      for (const [name, switches] of Object.entries(v as Record<string, unknown>)) {
        if (!isUsername(name) || typeof switches !== 'object' || switches === null || Array.isArray(switches)) throw new Error('users must map usernames to objects of switches')
        users[name] = parseUserSwitches(switches as Record<string, unknown>)
      }
      out.users = users
    } else if (k === 'loginMode' && (v === 'one-step' || v === 'two-step')) out.loginMode = v
    else if (k === 'tokenDelayMs' && typeof v === 'number' && v >= 0 && v <= 600_000) out.tokenDelayMs = v
    else if (k === 'fault' && typeof v === 'string' && (FAULTS as readonly string[]).includes(v)) out.fault = v as Fault
    else if (k === 'faultTimes' && typeof v === 'number' && Number.isInteger(v) && v >= 0) out.faultTimes = v
    else if ((BOOLEAN_KEYS as readonly string[]).includes(k) && typeof v === 'boolean') out[k as (typeof BOOLEAN_KEYS)[number]] = v
    else if (k === 'verification' && typeof v === 'string' && (VERIFICATION_METHODS as readonly string[]).includes(v)) out.verification = v as VerificationMethod
    else if (k === 'mfaRegistration' && (v === 'none' || v === 'choose' || v === 'totp' || v === 'passkey')) out.mfaRegistration = v
    else if (k === 'maintenance' && (v === 'none' || v === 'once' || v === 'always')) out.maintenance = v
    else if (k === 'rememberedUsername' && (v === null || (typeof v === 'string' && v.length > 0 && v.length <= 80))) out.rememberedUsername = v
    else if (k === 'rememberedView' && (v === 'chooser' || v === 'card')) out.rememberedView = v
    else if (k === 'refreshIdleMs' && typeof v === 'number' && v >= 0) out.refreshIdleMs = v
    else if (k === 'maxApprovals' && typeof v === 'number' && Number.isInteger(v) && v >= 1) out.maxApprovals = v
    else if (k === 'callbackState' && (v === 'echo' || v === 'forged')) out.callbackState = v
    else if (k === 'callbackUri' && (v === null || isHttpUrl(v))) out.callbackUri = v
    else if ((GRANT_SCOPE_KEYS as readonly string[]).includes(k) && typeof v === 'string' && (GRANT_SCOPES as readonly string[]).includes(v)) out[k as (typeof GRANT_SCOPE_KEYS)[number]] = v as GrantScope
    else if (k === 'refreshUnavailable' && (v === 'never' || v === 'once' || v === 'always')) out.refreshUnavailable = v
    else if (k === 'sessionTimeoutMs' && typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 7 * 24 * 3600 * 1000) out.sessionTimeoutMs = v
    else if (k === 'faultPaths' && Array.isArray(v) && v.every((p) => typeof p === 'string' && p.startsWith('/'))) out.faultPaths = v as string[]
    else if (k === 'idToken' && typeof v === 'string' && (ID_TOKEN_FAULTS as readonly string[]).includes(v)) out.idToken = v as IdTokenFault
    else if (k === 'userinfoSub' && (v === 'match' || v === 'other')) out.userinfoSub = v
    else throw new Error(`unknown behaviour or bad value: ${k}`)
  }
  return out
}
