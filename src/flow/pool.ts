/**
 * Run many flows on one browser with a bounded number of open contexts (each flow gets a fresh
 * context, so no cookie or session is shared between flows).
 */
import type { Browser } from 'playwright'
import { mapLimit } from './limit.js'
import { runWebServerFlow, type FlowOptions, type FlowResult } from './web-server-flow.js'

export { mapLimit }

export type PoolOutcome = { ok: true; result: FlowResult } | { ok: false; error: unknown }

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
