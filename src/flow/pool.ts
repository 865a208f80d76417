/**
 * Run many flows on one browser with a bounded number of open contexts. By default each flow gets a
 * fresh context, so no cookie or storage is shared between flows. With `reuseContexts` each of the
 * `concurrency` slots keeps one context and page and clears its cookies before every flow: the
 * session is gone (each flow logs in again) but origin storage and the HTTP cache stay, and a new
 * context costs a renderer process start (most of a flow's CPU here, see npm run bench).
 */
import type { Browser } from 'playwright'
import { openBrowserSession, type BrowserSession } from '../browser/session.js'
import { mapLimit } from './limit.js'
import { runWebServerFlow, type FlowOptions, type FlowResult } from './web-server-flow.js'

export { mapLimit }

export type PoolOutcome = { ok: true; result: FlowResult } | { ok: false; error: unknown }

export interface PoolStats {
  peakContexts: number
}

export interface PoolOptions {
  readonly concurrency: number
  readonly stats?: PoolStats
  /** Keep one context per slot and clear its cookies between flows (see above). Default false. */
  readonly reuseContexts?: boolean
}

export async function runFlowPool(browser: Browser, flows: readonly Omit<FlowOptions, 'browser' | 'page' | 'session'>[], opts: PoolOptions): Promise<PoolOutcome[]> {
  let open = 0
  const idle: BrowserSession[] = []
  const opened: BrowserSession[] = []
  const track = () => {
    if (opts.stats) opts.stats.peakContexts = Math.max(opts.stats.peakContexts, open)
  }
  try {
    return await mapLimit(flows, opts.concurrency, async (flow) => {
      try {
        if (!opts.reuseContexts) {
          open++
          track()
          try {
            return { ok: true as const, result: await runWebServerFlow({ ...flow, browser }) }
          } finally {
            open--
          }
        }
        let session = idle.pop()
        if (session === undefined) {
          open++
          track()
          session = await openBrowserSession({ browser, headless: flow.headless, timeoutMs: flow.timeoutMs, proxies: flow.proxies })
          opened.push(session)
        } else {
          await session.clearCookies()
        }
        try {
          return { ok: true as const, result: await runWebServerFlow({ ...flow, session }) }
        } finally {
          idle.push(session)
        }
      } catch (error) {
        return { ok: false as const, error }
      }
    })
  } finally {
    await Promise.all(opened.map((s) => s.close()))
  }
}
