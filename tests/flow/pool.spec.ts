/**
 * The flow pool with reused contexts: one context per slot, cookies cleared between flows, so every
 * flow logs in again and gets its own tokens.
 */
import { runFlowPool, type PoolStats } from '../../src/flow/pool.js'
import { expect, test } from '../support/test.js'

test('reuseContexts: 4 flows on 2 contexts (each reused), each logs in anew, all tokens distinct', { tag: '@browser' }, async ({ browser, httpFlow: flow }) => {
  const stats: PoolStats = { peakContexts: 0 }
  const before = browser.contexts().length
  const outcomes = await runFlowPool(browser, Array.from({ length: 4 }, () => ({ target: flow.target, timeoutMs: 20_000 })), { concurrency: 2, stats, reuseContexts: true })
  expect(outcomes.map((o) => (o.ok ? 'ok' : String((o.error as { code?: string }).code)))).toEqual(Array(4).fill('ok'))
  const results = outcomes.flatMap((o) => (o.ok ? [o.result] : []))
  // The session cookie was cleared: the login page came back every time.
  for (const r of results) expect(r.steps.map((s) => s.name)).toContain('login')
  expect(new Set(results.map((r) => r.tokens.refreshToken)).size).toBe(4)
  expect(stats.peakContexts).toBe(2)
  // The pool closes what it opened.
  expect(browser.contexts().length).toBe(before)
})
