/**
 * Posting `check --notify` payloads to webhooks. A webhook URL is a secret (whoever has a Slack webhook URL
 * can post to the channel): the caller registers it with the redactor, and only its host is ever printed.
 * Sending is retried with backoff on what may be passing (no connection, 429, 5xx) and bounded in time; a
 * failure is returned, never thrown, so it cannot cost the run its verdict.
 */
import { HarnessError } from '../errors.js'
import type { Http } from './client.js'

export interface NotifyTarget {
  readonly url: string
  readonly format: 'generic' | 'slack' | 'teams'
}

export interface NotifyOutcome {
  readonly ok: boolean
  readonly host: string
  readonly attempts: number
  /** Why it failed: a status or an error code (no URL: it is a secret). */
  readonly reason?: string
}

export interface SendOptions {
  readonly http: Http
  /** Total time for one payload, retries included. Default 20 s. */
  readonly budgetMs?: number
  readonly maxAttempts?: number
  readonly sleep?: (ms: number) => Promise<void>
  readonly now?: () => number
}

export async function postNotification(target: NotifyTarget, body: unknown, o: SendOptions): Promise<NotifyOutcome> {
  const host = new URL(target.url).host
  const now = o.now ?? (() => performance.now())
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const deadline = now() + (o.budgetMs ?? 20_000)
  const maxAttempts = o.maxAttempts ?? 4
  let reason = ''
  for (let attempt = 1; ; attempt++) {
    const left = deadline - now()
    try {
      // A webhook post that may have arrived can be sent again: at worst a message twice, never none.
      const res = await o.http.send({ method: 'POST', url: target.url, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), idempotent: true, timeoutMs: Math.max(100, Math.min(left, 10_000)) })
      if (res.status >= 200 && res.status < 300) return { ok: true, host, attempts: attempt }
      reason = `HTTP ${res.status}`
      if (res.status !== 429 && res.status < 500) return { ok: false, host, attempts: attempt, reason }
    } catch (err) {
      reason = err instanceof HarnessError ? err.code : 'NETWORK_ERROR'
    }
    const wait = Math.min(500 * 2 ** (attempt - 1), 4_000)
    if (attempt >= maxAttempts || now() + wait >= deadline) return { ok: false, host, attempts: attempt, reason }
    await sleep(wait)
  }
}
