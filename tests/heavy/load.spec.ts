/**
 * Load: 50 full browser flows at once against one emulator, with a bounded number of browser contexts,
 * and no cross-talk between flows (a code is redeemable only with its own client and verifier).
 */
import { readFileSync, readdirSync } from 'node:fs'
import { authorizeInBrowser } from '../../src/browser/authorize.js'
import { createHttp } from '../../src/http/client.js'
import { exchangeCode } from '../../src/client/operations.js'
import { buildAuthorizeUrl } from '../../src/oauth/authorize-url.js'
import { parseCallback } from '../../src/oauth/callback.js'
import { createPkce } from '../../src/oauth/pkce.js'
import { createState } from '../../src/oauth/state.js'
import { redactor } from '../../src/redact.js'
import { runFlowPool, type PoolStats } from '../../src/flow/pool.js'
import { launchBrowser } from '../../src/browser/session.js'
import type { Browser } from 'playwright'
import { codeOf, expect, test as base } from '../support/test.js'

/**
 * A browser of our own: Playwright Test instruments contexts of its `browser` fixture for tracing, which
 * for 50 flows costs gigabytes; load is measured on the browser the CLI would use.
 */
const test = base.extend<{ loadBrowser: Browser }>({
  loadBrowser: async ({}, use) => {
    const browser = await launchBrowser({})
    await use(browser)
    await browser.close()
  },
})

/** Proportional memory (PSS: shared pages split between sharers) of this process and every Chromium process, in MiB. */
function memMiB(): number {
  let kib = 0
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const name = /^Name:\s+(.+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? ''
      if (pid !== String(process.pid) && !/chrom/i.test(name)) continue
      kib += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0)
    } catch {
      // process ended while we looked
    }
  }
  return Math.round(kib / 1024)
}

test.use({ trace: 'off', screenshot: 'off' })

test('50 concurrent flows, at most 4 contexts, all succeed with distinct tokens', async ({ loadBrowser: browser, emulator, flow }, testInfo) => {
  test.setTimeout(480_000)
  const http = createHttp({ timeoutMs: 30_000 })
  const stats: PoolStats = { peakContexts: 0 }
  let peakMem = memMiB()
  let peakOpen = 0
  const sampler = setInterval(() => {
    peakMem = Math.max(peakMem, memMiB())
    peakOpen = Math.max(peakOpen, browser.contexts().length)
  }, 100)
  const started = performance.now()
  try {
    const outcomes = await runFlowPool(browser, Array.from({ length: 50 }, () => ({ target: flow.target, timeoutMs: 30_000, http })), { concurrency: 4, stats })
    const wall = performance.now() - started
    const failures = outcomes.flatMap((o) => (o.ok ? [] : [String((o.error as { code?: string }).code)]))
    expect(failures).toEqual([])
    const refresh = new Set(outcomes.map((o) => (o.ok ? o.result.tokens.refreshToken : undefined)))
    expect(refresh.size).toBe(50)
    expect(stats.peakContexts).toBeLessThanOrEqual(4)
    expect(peakOpen).toBeLessThanOrEqual(4)
    // One user, one app: Salesforce keeps 5 approvals and silently revokes the older ones.
    expect(emulator.app.state.refreshTokens.size).toBe(5)
    testInfo.annotations.push({ type: 'figures', description: `50 flows, concurrency 4: wall ${Math.round(wall)} ms, ${(50_000 / wall).toFixed(1)} flows/s, peak PSS (node + chromium) ${peakMem} MiB, peak contexts ${stats.peakContexts}` })
    console.log(`load figures: wall ${Math.round(wall)} ms, ${(50_000 / wall).toFixed(1)} flows/s, peak PSS ${peakMem} MiB, peak contexts ${stats.peakContexts}`)
  } finally {
    clearInterval(sampler)
    await http.close()
  }
})

test('no cross-talk: a code redeems only with its own verifier and its own client', async ({ loadBrowser: browser, emulator, flow }) => {
  test.setTimeout(120_000)
  const other = { ...emulator.app.seed.app, clientId: '3MVG9SECONDFAKEAPP', clientSecret: 'second-fake-secret-0000' }
  emulator.app.state.addApp(other)
  const http = createHttp({ timeoutMs: 10_000 })
  // Two flows side by side, each stopping at its callback.
  const authorize = async (clientId: string) => {
    const state = createState()
    const pkce = createPkce()
    const ctx = await browser.newContext()
    try {
      const url = buildAuthorizeUrl({ loginUrl: emulator.url, clientId, redirectUri: flow.target.redirectUri, scope: 'api refresh_token', state, codeChallenge: pkce.challenge })
      const cb = await authorizeInBrowser(await ctx.newPage(), { authorizeUrl: url.toString(), redirectUri: flow.target.redirectUri, username: flow.target.username, password: flow.target.password, timeoutMs: 10_000 })
      return { callback: parseCallback(cb, { redirectUri: flow.target.redirectUri, state }), pkce }
    } finally {
      await ctx.close()
    }
  }
  try {
    const [a, b] = await Promise.all([authorize(flow.target.clientId), authorize(other.clientId)])
    const exchange = (cb: typeof a.callback, clientId: string, secret: string, verifier: string) =>
      exchangeCode({ http, secrets: redactor }, { loginUrl: emulator.url, clientId, clientSecret: secret }, cb, { verifier, expectRefreshToken: true })
    // A's code with B's verifier: refused (and the code is burnt, as Salesforce does).
    expect(await codeOf(exchange(a.callback, flow.target.clientId, flow.target.clientSecret ?? '', b.pkce.verifier))).toBe('TOKEN_INVALID_CODE_VERIFIER')
    // B's code presented by app A: refused.
    expect(await codeOf(exchange(b.callback, flow.target.clientId, flow.target.clientSecret ?? '', b.pkce.verifier))).toBe('TOKEN_AUTHENTICATION_FAILURE')
    // A fresh pair redeems only with its own client and verifier.
    const [c, d] = await Promise.all([authorize(flow.target.clientId), authorize(other.clientId)])
    expect((await exchange(c.callback, flow.target.clientId, flow.target.clientSecret ?? '', c.pkce.verifier)).tokens.refreshToken).toBeDefined()
    expect((await exchange(d.callback, other.clientId, other.clientSecret, d.pkce.verifier)).tokens.refreshToken).toBeDefined()
  } finally {
    await http.close()
  }
})
