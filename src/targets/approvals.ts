/**
 * Salesforce keeps at most 5 approvals (refresh tokens) per user per app; the 6th silently revokes the
 * oldest ("Each connected app allows five unique approvals per user", Salesforce Help, Manage OAuth-Enabled
 * Connected Apps Access; docs/salesforce-oauth.md §3.4). A plan that would pass that is warned about before it runs.
 */
import { mask } from '../redact.js'

export const MAX_APPROVALS_PER_USER_PER_APP = 5

export interface PlannedFlow {
  readonly name: string
  readonly clientId: string
  readonly username: string
}

/** A plan that would give one user of one app more than five approvals: Salesforce then silently revokes the oldest refresh token. */
export interface ApprovalWarning {
  readonly code: 'APPROVAL_LIMIT'
  readonly username: string
  /** Masked: a consumer key is not secret, but it is long. */
  readonly clientId: string
  readonly approvals: number
  readonly targets: readonly string[]
  readonly message: string
}

/**
 * `runs`: how often the plan runs before its approvals are revoked (shards running the same targets, or
 * nightly runs without --revoke-after).
 */
export function approvalWarnings(flows: readonly PlannedFlow[], runs = 1): ApprovalWarning[] {
  const groups = new Map<string, PlannedFlow[]>()
  for (const f of flows) {
    const key = `${f.username}\u0000${f.clientId}`
    groups.set(key, [...(groups.get(key) ?? []), f])
  }
  const out: ApprovalWarning[] = []
  for (const group of groups.values()) {
    const first = group[0]
    const approvals = group.length * runs
    if (first === undefined || approvals <= MAX_APPROVALS_PER_USER_PER_APP) continue
    const names = group.map((f) => f.name)
    out.push({
      code: 'APPROVAL_LIMIT',
      username: first.username,
      clientId: mask(first.clientId),
      approvals,
      targets: names,
      message: `${approvals} approvals for user ${first.username} of app ${mask(first.clientId)} (${names.join(', ')}${runs > 1 ? `, × ${runs} runs` : ''}): Salesforce keeps ${MAX_APPROVALS_PER_USER_PER_APP} per user per app and silently revokes the oldest refresh token; use another user per target, fewer targets, or --revoke-after between runs`,
    })
  }
  return out
}
