/**
 * What `check` adds for people who watch many orgs (docs/monitoring.md): a history line per target per
 * run, the expiry forecast and its warning, and notifications on a change of state only (pass → fail: an
 * alert; fail → pass: a recovery; a new near expiry). Lines and events are computed here (pure); the
 * history file is src/store/history.ts, the posting src/http/notify.ts.
 */
import { ERRORS, isErrorCode } from '../error-registry.js'
import type { Http } from '../http/client.js'
import { postNotification, type NotifyOutcome, type NotifyTarget } from '../http/notify.js'
import { checkLoginUrl } from '../oauth/hosts.js'
import { redactor } from '../redact.js'
import { NOTIFY_FORMATS, payload, type NotifyEvent, type NotifyFormat } from '../report/notify-payload.js'
import { sanitiseLine } from '../sanitise.js'
import type { HistoryLine, StepName } from '../store/history.js'
import { MAX_APPROVALS_PER_USER_PER_APP } from '../targets/approvals.js'
import { expiresWithin, forecastExpiry, type RefreshTokenPolicy } from '../targets/forecast.js'

/** One target's run, as check saw it. */
export interface Observation {
  readonly name: string
  readonly kind: string
  readonly ok: boolean
  readonly durationMs: number
  readonly error?: { readonly code: string; readonly message: string } | undefined
  readonly steps: Partial<Record<StepName, number>>
  readonly rotated: boolean
  /** issued_at (epoch ms) of a refresh token obtained in this run (a rotation or a flow). */
  readonly newRefreshTokenIssuedAt?: string | undefined
  /** issued_at (epoch ms) saved in the token file before this run (the flow that saved it, or the last refresh). */
  readonly savedIssuedAt?: string | undefined
  /** The user and app of the token, to count approvals. */
  readonly username?: string | undefined
  readonly clientId: string
  readonly warnings: readonly string[]
  readonly policy?: RefreshTokenPolicy | undefined
}

export interface RunInfo {
  readonly now: Date
  readonly runId: string
  readonly runUrl: string | undefined
  readonly mode: 'refresh' | 'flow'
  /** --warn-before, in ms. */
  readonly warnBeforeMs: number | undefined
}

const epoch = (ms: string | undefined) => (ms !== undefined && /^\d{13}$/.test(ms) ? new Date(Number(ms)) : undefined)

/** The newest line per target. */
export function lastByTarget(history: readonly HistoryLine[]): Map<string, HistoryLine> {
  const m = new Map<string, HistoryLine>()
  for (const l of history) m.set(l.target, l)
  return m
}

/** Approvals this plan holds per target's user and app (targets whose user is known). */
function approvalCounts(obs: readonly Observation[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const o of obs) if (o.username !== undefined) counts.set(`${o.username}\u0000${o.clientId}`, (counts.get(`${o.username}\u0000${o.clientId}`) ?? 0) + 1)
  return counts
}

export function historyLines(obs: readonly Observation[], previous: ReadonlyMap<string, HistoryLine>, run: RunInfo): HistoryLine[] {
  const counts = approvalCounts(obs)
  return obs.map((o) => {
    const prev = previous.get(o.name)
    const issued = epoch(o.newRefreshTokenIssuedAt) ?? (prev?.refreshTokenIssuedAt != null ? new Date(prev.refreshTokenIssuedAt) : undefined) ?? epoch(o.savedIssuedAt)
    let forecast = forecastExpiry(o.policy, issued, run.now)
    // A failed check is no use of the token: the idle clock runs from the last pass.
    if (!o.ok && prev !== undefined && o.policy?.type === 'expire-if-unused') forecast = { policy: forecast.policy, expiresAt: prev.forecast.expiresAt }
    const warnings = [...o.warnings]
    if (o.ok && run.warnBeforeMs !== undefined && expiresWithin(forecast, run.now, run.warnBeforeMs)) warnings.push('TOKEN_EXPIRES_SOON')
    const approvals = o.username === undefined ? null : counts.get(`${o.username}\u0000${o.clientId}`) ?? null
    const error = o.error === undefined ? null : { code: o.error.code, message: sanitiseLine(redactor.text(o.error.message), 2000), fix: isErrorCode(o.error.code) ? ERRORS[o.error.code].fix : '' }
    return {
      v: 1,
      time: run.now.toISOString(),
      runId: run.runId,
      ...(run.runUrl === undefined ? {} : { runUrl: run.runUrl }),
      target: o.name,
      kind: o.kind,
      mode: run.mode,
      result: o.ok ? 'pass' : 'fail',
      error,
      durationMs: Math.max(0, Math.round(o.durationMs)),
      steps: Object.fromEntries(Object.entries(o.steps).map(([k, v]) => [k, Math.max(0, Math.round(v))])),
      refreshTokenIssuedAt: issued?.toISOString() ?? null,
      tokenAgeMs: issued === undefined ? null : Math.max(0, run.now.getTime() - issued.getTime()),
      rotated: o.rotated,
      warnings: [...new Set(warnings)].slice(0, 50),
      forecast: { ...forecast, approvalsInUse: approvals, approvalsMax: MAX_APPROVALS_PER_USER_PER_APP },
    } satisfies HistoryLine
  })
}

/**
 * Changes of state against each target's previous line. A target with no previous line alerts when it
 * fails (something is wrong, whatever came before) and says nothing when it passes.
 */
export function stateChanges(lines: readonly HistoryLine[], previous: ReadonlyMap<string, HistoryLine>): NotifyEvent[] {
  const events: NotifyEvent[] = []
  for (const l of lines) {
    const prev = previous.get(l.target)
    const base = { target: l.target, kind: l.kind, time: l.time, runUrl: l.runUrl ?? null, expiresAt: null }
    if (l.result === 'fail' && prev?.result !== 'fail') events.push({ ...base, event: 'alert', code: l.error?.code ?? null, message: l.error?.message ?? null, fix: l.error?.fix ?? null })
    if (l.result === 'pass' && prev?.result === 'fail') events.push({ ...base, event: 'recovery', code: prev.error?.code ?? null, message: null, fix: null })
    if (l.warnings.includes('TOKEN_EXPIRES_SOON') && !(prev?.warnings.includes('TOKEN_EXPIRES_SOON') ?? false)) {
      events.push({ ...base, event: 'expiry', code: 'TOKEN_EXPIRES_SOON', message: null, fix: 'run sf-oauth flow --save for this target before then', expiresAt: l.forecast.expiresAt })
    }
  }
  return events
}

/**
 * A --notify URL: `slack:https://…`, `teams:https://…`, `generic:https://…`, or a bare URL in
 * `defaultFormat`. https only (http on loopback, for tests): the URL and the payload are secrets' neighbours.
 */
export function parseNotifyUrl(raw: string, defaultFormat: NotifyFormat): NotifyTarget | { problem: string } {
  const m = /^(generic|slack|teams):(https?:.*)$/.exec(raw.trim())
  const format = (m?.[1] as NotifyFormat | undefined) ?? defaultFormat
  const url = m?.[2] ?? raw.trim()
  const checked = checkLoginUrl(url.replace(/[?#].*$/, ''))
  if (!checked.ok) return { problem: checked.problem.replace(/credentials/, 'user:password@') }
  // Keep the query (Teams workflow URLs carry their signature there).
  return { url, format }
}

export function isNotifyFormat(v: string): v is NotifyFormat {
  return (NOTIFY_FORMATS as readonly string[]).includes(v)
}

export interface Delivery extends NotifyOutcome {
  readonly event: NotifyEvent['event']
  readonly target: string
  readonly format: NotifyFormat
}

/** Every event to every URL, at most 4 at once; failures come back as outcomes. */
export async function deliver(events: readonly NotifyEvent[], urls: readonly NotifyTarget[], http: Http, opts: { budgetMs?: number; sleep?: (ms: number) => Promise<void> } = {}): Promise<Delivery[]> {
  const jobs = events.flatMap((e) => urls.map((u) => ({ e, u })))
  const out: Delivery[] = []
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]
      if (job === undefined) break
      const r = await postNotification(job.u, payload(job.u.format, job.e), { http, ...opts })
      out.push({ ...r, event: job.e.event, target: job.e.target, format: job.u.format })
    }
  }
  await Promise.all(Array.from({ length: Math.min(4, jobs.length) }, worker))
  return out
}
