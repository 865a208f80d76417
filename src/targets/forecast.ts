/**
 * When will a target's refresh token stop working? From the app's refresh token policy (as configured in the
 * targets file), when the token was issued, and when it was last used. Salesforce's policies (Salesforce
 * Help, connected app "Refresh Token Policy"; docs/salesforce-oauth.md §3.4): valid until revoked (default),
 * expire after N, expire if not used for N. Partner (ISV) apps used in many orgs must have a 30-day idle
 * timeout from 2026 (docs/salesforce-oauth.md §3.4). Pure: the caller hands the clock.
 */

export type RefreshTokenPolicy =
  | { readonly type: 'until-revoked' }
  | { readonly type: 'expire-after'; readonly days: number }
  | { readonly type: 'expire-if-unused'; readonly days: number }

export const POLICY_TYPES = ['until-revoked', 'expire-after', 'expire-if-unused'] as const
const DAY_MS = 24 * 60 * 60 * 1000

export function policyLabel(p: RefreshTokenPolicy | undefined): string {
  if (p === undefined) return 'unknown'
  return p.type === 'until-revoked' ? p.type : `${p.type} ${p.days}d`
}

/** A policy from the targets file (untrusted JSON), or a problem. */
export function parsePolicy(raw: unknown): { policy: RefreshTokenPolicy } | { problem: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problem: `is ${JSON.stringify(raw)}` }
  const r = raw as Record<string, unknown>
  const extra = Object.keys(r).filter((k) => k !== 'type' && k !== 'days')
  if (extra.length > 0) return { problem: `has unknown key ${extra[0] ?? ''}` }
  if (r.type === 'until-revoked') return r.days === undefined ? { policy: { type: 'until-revoked' } } : { problem: 'has "days", which until-revoked does not take' }
  if (r.type !== 'expire-after' && r.type !== 'expire-if-unused') return { problem: `has type ${JSON.stringify(r.type)}` }
  if (typeof r.days !== 'number' || !Number.isInteger(r.days) || r.days < 1 || r.days > 3650) return { problem: `has days ${JSON.stringify(r.days)}` }
  return { policy: { type: r.type, days: r.days } }
}

export interface Forecast {
  readonly policy: string
  /** ISO time the refresh token dies if nothing else happens; null: not by time, or not known. */
  readonly expiresAt: string | null
}

/**
 * `issuedAt`: when the refresh token in use was issued (undefined: unknown). `lastUsed`: this check, which
 * used it (a check is a use: with an idle timeout, a nightly check keeps the token alive).
 */
export function forecastExpiry(policy: RefreshTokenPolicy | undefined, issuedAt: Date | undefined, lastUsed: Date): Forecast {
  const label = policyLabel(policy)
  if (policy === undefined || policy.type === 'until-revoked') return { policy: label, expiresAt: null }
  if (policy.type === 'expire-if-unused') return { policy: label, expiresAt: new Date(lastUsed.getTime() + policy.days * DAY_MS).toISOString() }
  return { policy: label, expiresAt: issuedAt === undefined ? null : new Date(issuedAt.getTime() + policy.days * DAY_MS).toISOString() }
}

/** `7d`, `36h`, `90m`: a span for --warn-before. Undefined when it is not one. */
export function parseSpan(raw: string): number | undefined {
  const m = /^(\d{1,5})([dhm])$/.exec(raw.trim())
  if (m === null) return undefined
  const n = Number(m[1])
  const unit = m[2] === 'd' ? DAY_MS : m[2] === 'h' ? 3_600_000 : 60_000
  return n > 0 ? n * unit : undefined
}

/** Is `expiresAt` within `spanMs` of `now` (or past)? */
export function expiresWithin(f: Forecast, now: Date, spanMs: number): boolean {
  return f.expiresAt !== null && Date.parse(f.expiresAt) - now.getTime() <= spanMs
}
