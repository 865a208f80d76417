/**
 * Run many flows on one browser with a bounded number of open contexts. By default each flow gets a
 * fresh context, so no cookie or storage is shared between flows. With `reuseContexts` each of the
 * `concurrency` slots keeps one context and page and clears its cookies before every flow: the
 * session is gone (each flow logs in again) but origin storage and the HTTP cache stay, and a new
 * context costs a renderer process start (most of a flow's CPU here, see npm run bench).
 */
import type { Browser, Page } from 'playwright'
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

export async function runFlowPool(browser: Browser, flows: readonly Omit<FlowOptions, 'browser' | 'page'>[], opts: PoolOptions): Promise<PoolOutcome[]> {
  let open = 0
  const idle: Page[] = []
  const opened: Page[] = []
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
        let page = idle.pop()
        if (page === undefined) {
          open++
          track()
          page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage()
          opened.push(page)
        } else {
          await page.context().clearCookies()
        }
        try {
          return { ok: true as const, result: await runWebServerFlow({ ...flow, page }) }
        } finally {
          idle.push(page)
        }
      } catch (error) {
        return { ok: false as const, error }
      }
    })
  } finally {
    await Promise.all(opened.map((p) => p.context().close().catch(() => undefined)))
  }
}
