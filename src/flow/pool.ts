/**
 * Run many flows on one browser with a bounded number of open contexts (each flow gets a fresh
 * context, so no cookie or session is shared between flows).
 */
import type { Browser } from 'playwright'
import { runWebServerFlow, type FlowOptions, type FlowResult } from './web-server-flow.js'

export type PoolOutcome = { ok: true; result: FlowResult } | { ok: false; error: unknown }

/** Map `items` through `fn` with at most `limit` running at once, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i] as T, i)
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return out
}

export interface PoolStats {
  peakContexts: number
}

export async function runFlowPool(browser: Browser, flows: readonly Omit<FlowOptions, 'browser' | 'page'>[], opts: { concurrency: number; stats?: PoolStats }): Promise<PoolOutcome[]> {
  let open = 0
  return mapLimit(flows, opts.concurrency, async (flow) => {
    open++
    if (opts.stats) opts.stats.peakContexts = Math.max(opts.stats.peakContexts, open)
    try {
      return { ok: true as const, result: await runWebServerFlow({ ...flow, browser }) }
    } catch (error) {
      return { ok: false as const, error }
    } finally {
      open--
    }
  })
}
