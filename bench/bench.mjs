// @ts-check
/* global URLSearchParams, fetch, setInterval, clearInterval */
/**
 * `npm run bench`: how fast the harness is on this machine, against the floor (raw Playwright, bench/
 * floor.mjs) and a peer (oauth2-mock-server). A script, not a test: it prints a table (median, p95,
 * target, pass/miss), and writes bench/results.json and bench/results.svg. Uses the built dist/ (npm
 * run bench builds first). Loopback only.
 *   --quick        fewer repetitions and 2 s load runs (a smoke run, ~1-2 min without the suite)
 *   --no-suite     skip the timed `npm test` (and the offline specs)
 *   --only A,B     run only these sections: micro, http, load, check, flows, rate, soak, suite
 */
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { launchBrowser } from '../dist/browser/session.js'
import { startEmulator } from '../dist/emulator/index.js'
import { runFlowPool } from '../dist/flow/pool.js'
import { runWebServerFlow } from '../dist/flow/web-server-flow.js'
import { refresh } from '../dist/client/operations.js'
import { createHttp } from '../dist/http/client.js'
import { refreshBody } from '../dist/oauth/token-request.js'
import { processTokenResponse } from '../dist/oauth/token-response.js'
import { redactor } from '../dist/redact.js'
import { DEFAULT_FLOW_SETTINGS, emulatorLogin, toFlowTarget } from '../dist/targets/flow-target.js'
import { floorFlow } from './floor.mjs'
import { writeSvg } from './chart.mjs'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const BIN = join(root, 'bin', 'sf-oauth.js')
/** The seeded app's callback (the soak's token source logs in over plain HTTP). */
const REDIRECT = 'http://localhost:1717/OauthRedirect'

const argv = process.argv.slice(2)
const quick = argv.includes('--quick')
const noSuite = argv.includes('--no-suite')
const onlyArg = argv[argv.indexOf('--only') + 1]
const only = argv.includes('--only') && onlyArg !== undefined ? new Set(onlyArg.split(',')) : undefined
for (const a of argv) {
  if (!['--quick', '--no-suite', '--only', onlyArg].includes(a)) {
    process.stderr.write(`bench: unknown option ${a}: use --quick, --no-suite or --only micro,http,load,check,flows,rate,soak,suite\n`)
    process.exit(2)
  }
}
const want = (/** @type {string} */ s) => only === undefined || only.has(s)
const N = quick
  ? { cold: 2, warm: 4, http: 100, microMs: 500, loadS: 2, check: 1, perConcurrency: 2, soakS: 10 }
  : { cold: 5, warm: 15, http: 400, microMs: 2000, loadS: 5, check: 3, perConcurrency: 4, soakS: 75 }

/** @typedef {{ id: string, figure: string, unit: string, median: number | null, p95: number | null, target?: { op: '<=' | '>=', value: number, text: string }, note?: string }} Row */
/** @type {Row[]} */
const rows = []
/** @type {Record<string, unknown>} */
const extra = {}

// ---- helpers ----------------------------------------------------------------------------------------

/** Nearest-rank percentile. @param {number[]} xs @param {number} p */
function pct(xs, p) {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? null
}
/** @param {number[]} xs */
const median = (xs) => pct(xs, 50)
/** @param {number[]} xs */
const p95 = (xs) => pct(xs, 95)

/** @param {Omit<Row, 'median' | 'p95'> & { samples?: number[], median?: number | null, p95?: number | null }} r */
function record(r) {
  const row = { ...r, median: r.samples ? median(r.samples) : (r.median ?? null), p95: r.samples ? p95(r.samples) : (r.p95 ?? null) }
  delete row.samples
  rows.push(row)
  process.stdout.write(`  ${row.figure}: ${row.median === null && row.note !== undefined ? row.note : fmt(row.median, row.unit)}${row.p95 !== null && row.p95 !== row.median ? ` (p95 ${fmt(row.p95, row.unit)})` : ''}${row.note && row.median !== null ? ` — ${row.note}` : ''}\n`)
}

/** @param {number | null} v @param {string} unit */
function fmt(v, unit) {
  if (v === null) return 'n/a'
  if (unit === 'ms') return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`
  if (unit === '×') return `${v.toFixed(2)}×`
  if (unit === 'µs') return `${v.toFixed(1)} µs`
  return `${v >= 100 ? Math.round(v) : v.toFixed(2)} ${unit}`
}

/** @param {Row} r @returns {'pass' | 'miss' | ''} */
function verdict(r) {
  if (!r.target || r.median === null) return ''
  return (r.target.op === '<=' ? r.median <= r.target.value : r.median >= r.target.value) ? 'pass' : 'miss'
}

/** A clean environment for child processes: nothing of the caller's SF_* settings leaks in. */
function childEnv(/** @type {Record<string, string>} */ add = {}) {
  /** @type {Record<string, string>} */
  const env = {}
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'PLAYWRIGHT_BROWSERS_PATH', 'SF_BROWSER_PATH']) {
    const v = process.env[k]
    if (v !== undefined) env[k] = v
  }
  return { ...env, ...add }
}

/**
 * Run a command to its end. @param {string} cmd @param {string[]} args
 * @param {{ env?: Record<string, string>, cwd?: string, echo?: boolean }} [o]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string, ms: number }>}
 */
function run(cmd, args, o = {}) {
  const t0 = performance.now()
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: o.cwd ?? root, env: o.env ?? childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => {
      stdout += c
      if (o.echo) process.stdout.write(c)
    })
    child.stderr.on('data', (c) => (stderr += c))
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }))
  })
}

/**
 * A long-running child that prints one JSON line when ready. @param {string[]} args
 * @returns {Promise<{ info: Record<string, string>, stop: () => Promise<void> }>}
 */
function startChild(args) {
  const child = spawn(process.execPath, args, { cwd: root, env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    let buf = ''
    child.stdout.on('data', (c) => {
      buf += c
      const line = buf.split('\n').find((l) => l.startsWith('{'))
      if (line === undefined) return
      child.stdout.removeAllListeners('data')
      child.stdout.resume()
      resolve({
        info: JSON.parse(line),
        stop: () => new Promise((r) => {
          child.once('exit', () => r(undefined))
          child.kill('SIGTERM')
        }),
      })
    })
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code} before it was ready`)))
  })
}

/** The harness's one target model (src/targets/flow-target.ts), with the defaults of an empty configuration. */
/** @param {{ url: string, clientId: string, clientSecret: string, username: string, password: string }} e */
const targetOf = (e) => toFlowTarget({ loginUrl: e.url, clientId: e.clientId, clientSecret: e.clientSecret, username: e.username, password: e.password }, DEFAULT_FLOW_SETTINGS)

/** @param {import('autocannon').Options} o @returns {Promise<import('autocannon').Result>} */
const cannon = (o) => new Promise((resolve, reject) => autocannon(o, (err, res) => (err ? reject(err) : resolve(res))))

// ---- the run -----------------------------------------------------------------------------------------

const started = performance.now()
const cpu = cpus()[0]?.model ?? 'unknown CPU'
process.stdout.write(`sf-oauth bench${quick ? ' --quick' : ''}: Node ${process.versions.node}, ${availableParallelism()} cores (${cpu.trim()})\n`)

// The standalone emulator (its own process, as an org would be) for everything over HTTP, and one
// warm browser that fetches it a real refresh token through the harness's own flow.
const standalone = await startChild([BIN, 'emulator', '--json'])
const org = /** @type {{ url: string, clientId: string, clientSecret: string, username: string, password: string }} */ (/** @type {unknown} */ (standalone.info))
const embedded = await startEmulator({})
const local = toFlowTarget(emulatorLogin(embedded.url, embedded.app.seed), DEFAULT_FLOW_SETTINGS)
const browser = await launchBrowser({})
extra.browser = browser.version()
const http = createHttp({ timeoutMs: 30_000 })
const work = mkdtempSync(join(tmpdir(), 'sf-oauth-bench-'))
/** @type {Error[]} */
const failures = []
const section = async (/** @type {string} */ name, /** @type {() => Promise<void>} */ fn) => {
  if (!want(name)) return
  process.stdout.write(`\n[${name}]\n`)
  try {
    await fn()
  } catch (err) {
    failures.push(err instanceof Error ? err : new Error(String(err)))
    process.stdout.write(`  ✗ ${name} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`)
  }
}

try {
  const orgFlow = await runWebServerFlow({ target: targetOf(org), timeoutMs: 30_000, browser, http })
  const refreshToken = orgFlow.tokens.refreshToken ?? ''
  const client = { loginUrl: org.url, clientId: org.clientId, clientSecret: org.clientSecret }
  const ctx = { http, secrets: redactor }
  /** The refresh operation (request + process), as every caller of the harness makes it. */
  const refreshOnce = () => refresh(ctx, client, refreshToken)

  await section('micro', async () => {
    // The process function alone on a real refresh answer: JSON, every field, HMAC-SHA256 signature.
    /** @type {import('../dist/oauth/types.js').RawResponse | undefined} */
    let answer
    await refresh(ctx, client, refreshToken, { onAnswer: (r) => { answer = r } })
    if (answer === undefined) throw new Error('the refresh gave no answer')
    const res = answer
    const expect = { clientSecret: org.clientSecret, expectRefreshToken: false, grant: /** @type {const} */ ('refresh_token') }
    /** @type {number[]} */
    const us = []
    const end = performance.now() + N.microMs
    let n = 0
    const t0 = performance.now()
    while (performance.now() < end) {
      const a = performance.now()
      processTokenResponse(res, expect)
      us.push((performance.now() - a) * 1000)
      n++
    }
    const perS = n / ((performance.now() - t0) / 1000)
    record({ id: 'validate_us', figure: 'refresh validation (processTokenResponse + HMAC), one', unit: 'µs', samples: us })
    record({ id: 'validations_per_s', figure: 'refresh validations per second (process function)', unit: '/s', median: perS, target: { op: '>=', value: 1000, text: '≥ 1000/s' } })
  })

  await section('http', async () => {
    // The whole exchange without a browser: refresh grant over HTTP to the emulator process + validation.
    /** @type {number[]} */
    const ms = []
    for (let i = 0; i < N.http; i++) {
      const a = performance.now()
      await refreshOnce()
      ms.push(performance.now() - a)
    }
    record({ id: 'exchange_ms', figure: 'token exchange without a browser (refresh over HTTP + checks), latency', unit: 'ms', samples: ms })
    const total = N.http * 2
    let next = 0
    const t0 = performance.now()
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next++ < total) await refreshOnce()
    }))
    record({ id: 'exchange_per_s', figure: 'refresh exchanges + validations per second over HTTP (8 at once)', unit: '/s', median: total / ((performance.now() - t0) / 1000) })
  })

  await section('load', async () => {
    // Token endpoints under autocannon, one after the other in this run, same settings, each server in
    // its own process. The emulator answers a refresh as Salesforce does (HMAC signature, opaque
    // tokens); oauth2-mock-server signs an RS256 access token and id_token per answer.
    const settings = { connections: 10, pipelining: 1, duration: N.loadS, method: /** @type {const} */ ('POST'), headers: { 'content-type': 'application/x-www-form-urlencoded' } }
    const ours = await cannon({ ...settings, url: `${org.url}/services/oauth2/token`, body: refreshBody(refreshToken, client).toString() })
    const peer = await startChild([join(root, 'bench', 'peer-server.mjs')])
    let theirs
    try {
      const peerUrl = new URL(peer.info.url ?? '')
      peerUrl.hostname = '127.0.0.1'
      theirs = await cannon({ ...settings, url: `${peerUrl.origin}/token`, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'bench', client_id: 'bench' }).toString() })
    } finally {
      await peer.stop()
    }
    for (const [name, r] of /** @type {const} */ ([['emulator', ours], ['oauth2-mock-server', theirs]])) {
      if (r.non2xx > 0 || r.errors > 0) throw new Error(`${name}: ${r.non2xx} non-2xx answers, ${r.errors} errors under load`)
    }
    extra.autocannon = { emulator: { rps: ours.requests.average, p50: ours.latency.p50, p97_5: ours.latency.p97_5, total: ours.requests.total }, peer: { rps: theirs.requests.average, p50: theirs.latency.p50, p97_5: theirs.latency.p97_5, total: theirs.requests.total } }
    record({ id: 'emulator_rps', figure: 'emulator token endpoint, requests/s (autocannon, 10 connections)', unit: 'req/s', median: ours.requests.average, note: `latency p50 ${ours.latency.p50} ms, p97.5 ${ours.latency.p97_5} ms` })
    record({ id: 'peer_rps', figure: 'oauth2-mock-server token endpoint, requests/s (same settings)', unit: 'req/s', median: theirs.requests.average, note: `latency p50 ${theirs.latency.p50} ms, p97.5 ${theirs.latency.p97_5} ms` })
    record({ id: 'emulator_vs_peer', figure: 'emulator / oauth2-mock-server, requests/s', unit: '×', median: ours.requests.average / theirs.requests.average, target: { op: '>=', value: 2, text: '≥ 2×' } })
  })

  await section('check', async () => {
    // 200 targets on the emulator process, each with its own copy of one saved token set; the whole
    // command timed from process start to exit.
    const dir = join(work, 'check')
    mkdirSync(dir, { recursive: true })
    const env = childEnv({ SF_LOGIN_URL: org.url, SF_CLIENT_ID: org.clientId, SF_CLIENT_SECRET: org.clientSecret, SF_USERNAME: org.username, SF_PASSWORD: org.password })
    const saved = await run(process.execPath, [BIN, 'flow', '--save', join(dir, 'seed.json')], { env, cwd: dir })
    if (saved.code !== 0) throw new Error(`sf-oauth flow --save exited ${saved.code}: ${saved.stderr.trim().split('\n')[0] ?? ''}`)
    const targets = []
    for (let i = 1; i <= 200; i++) {
      copyFileSync(join(dir, 'seed.json'), join(dir, `t${i}.json`))
      targets.push({ name: `org-${i}`, loginUrl: org.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: `t${i}.json`, verify: i % 2 ? 'userinfo' : 'introspect' })
    }
    writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets }))
    /** @type {number[]} */
    const ms = []
    for (let i = 0; i < N.check; i++) {
      const r = await run(process.execPath, [BIN, 'check', '--targets', join(dir, 'targets.json')], { env: childEnv({ SF_APP_ID: org.clientId, SF_APP_SECRET: org.clientSecret }), cwd: dir })
      const last = r.stdout.trim().split('\n').at(-1) ?? ''
      if (r.code !== 0 || !last.startsWith('200 targets: 200 passed')) throw new Error(`sf-oauth check exited ${r.code}: ${last || r.stderr.trim().split('\n')[0]}`)
      ms.push(r.ms)
    }
    record({ id: 'check_200_ms', figure: '`sf-oauth check` over 200 targets (process start to exit)', unit: 'ms', samples: ms, target: { op: '<=', value: 3000, text: '≤ 3 s' } })
  })

  await section('flows', async () => {
    // Cold: a new browser per flow (what one `sf-oauth flow` does after Node starts). Warm: one
    // browser, a fresh context per flow. Floor: the same steps in raw Playwright. Warm and floor
    // alternate so that load on the machine hits both alike. Every flow shows "Allow Access?".
    const opts = { target: local, timeoutMs: 30_000, http, prompt: 'consent' }
    /** @type {number[]} */
    const cold = []
    for (let i = 0; i < N.cold; i++) {
      const a = performance.now()
      await runWebServerFlow({ ...opts, headless: true })
      cold.push(performance.now() - a)
    }
    record({ id: 'cold_flow_ms', figure: 'cold flow (browser launch + full flow, embedded emulator)', unit: 'ms', samples: cold })
    /** @type {number[]} */
    const warm = []
    /** @type {number[]} */
    const floor = []
    for (let i = -1; i < N.warm; i++) {
      let a = performance.now()
      await runWebServerFlow({ ...opts, browser })
      if (i >= 0) warm.push(performance.now() - a)
      a = performance.now()
      await floorFlow(browser, local, { prompt: 'consent' })
      if (i >= 0) floor.push(performance.now() - a)
    }
    record({ id: 'warm_flow_ms', figure: 'warm flow (shared browser, fresh context)', unit: 'ms', samples: warm })
    record({ id: 'floor_flow_ms', figure: 'floor (raw Playwright + fetch, same steps)', unit: 'ms', samples: floor })
    const ratios = warm.map((w, i) => w / (floor[i] ?? w))
    record({ id: 'warm_floor_ratio', figure: 'warm flow / floor (medians; p95 of pairwise ratios)', unit: '×', median: (median(warm) ?? 0) / (median(floor) ?? 1), p95: p95(ratios), target: { op: '<=', value: 1.15, text: '≤ 1.15' } })
  })

  await section('rate', async () => {
    // Full flows through the pool: one browser, a fresh context per flow, `c` at a time.
    /** @type {Record<number, number>} */
    const rates = {}
    for (const c of [1, 2, 4, 8]) {
      const n = Math.max(8, N.perConcurrency * c)
      const stats = { peakContexts: 0 }
      const a = performance.now()
      const outcomes = await runFlowPool(browser, Array.from({ length: n }, () => ({ target: local, timeoutMs: 30_000, http, prompt: 'consent' })), { concurrency: c, stats })
      const wall = performance.now() - a
      const bad = outcomes.filter((o) => !o.ok)
      if (bad.length > 0) throw new Error(`${bad.length} of ${n} flows failed at concurrency ${c}: ${String(/** @type {{ error: { code?: string } }} */ (bad[0]).error.code)}`)
      const lat = outcomes.flatMap((o) => (o.ok ? [o.result.durationMs] : []))
      rates[c] = (n * 1000) / wall
      record({ id: `flows_per_s_c${c}`, figure: `full flows per second, concurrency ${c} (${n} flows; latency ${fmt(median(lat), 'ms')}, p95 ${fmt(p95(lat), 'ms')})`, unit: 'flows/s', median: rates[c] })
    }
    const best = Math.max(...Object.values(rates))
    record({ id: 'flows_per_s_best', figure: 'full flows per second, best concurrency, fresh contexts', unit: 'flows/s', median: best, target: { op: '>=', value: 4, text: '≥ 4/s' } })
    // The pool's reuseContexts mode: one context per slot, cookies cleared between flows.
    /** @type {number[]} */
    const reused = []
    for (const c of [2, 4, 8]) {
      const n = Math.max(8, N.perConcurrency * c)
      const a = performance.now()
      const outcomes = await runFlowPool(browser, Array.from({ length: n }, () => ({ target: local, timeoutMs: 30_000, http, prompt: 'consent' })), { concurrency: c, reuseContexts: true })
      if (outcomes.some((o) => !o.ok)) throw new Error(`reused contexts: a flow failed at concurrency ${c}`)
      reused.push((n * 1000) / (performance.now() - a))
      record({ id: `flows_per_s_reuse_c${c}`, figure: `full flows per second, concurrency ${c}, reused contexts (${n} flows)`, unit: 'flows/s', median: reused.at(-1) ?? null })
    }
    record({ id: 'flows_per_s_reuse_best', figure: 'full flows per second, best concurrency, reused contexts', unit: 'flows/s', median: Math.max(...reused), target: { op: '>=', value: 4, text: '≥ 4/s' } })
    // The same through raw Playwright (bench/floor.mjs) at the harness's best concurrency: what this
    // machine allows at all with a fresh context per flow.
    const c = Number(Object.entries(rates).sort((x, y) => y[1] - x[1])[0]?.[0] ?? 4)
    const n = Math.max(8, N.perConcurrency * c)
    let next = 0
    const a = performance.now()
    await Promise.all(Array.from({ length: c }, async () => {
      while (next++ < n) await floorFlow(browser, local, { prompt: 'consent' })
    }))
    record({ id: 'floor_flows_per_s', figure: `floor flows per second, concurrency ${c} (${n} flows)`, unit: 'flows/s', median: (n * 1000) / (performance.now() - a) })
  })
} finally {
  await browser.close().catch(() => undefined)
  await http.close()
  await embedded.close()
  await standalone.stop()
}

await section('soak', async () => {
  // A long-running emulator stays bounded (issue 11): refresh grants as fast as 4 loopback clients manage
  // (every one issues an access token and is counted in the request log), against a fresh emulator
  // process; its resident memory (process.memoryUsage().rss, reported by the control API) before, at the
  // peak, and after the clock is moved past the session timeout, which prunes every expired token.
  // --expose-gc: the control API's clock call then collects garbage after pruning, so "after" is what
  // the process retains rather than garbage V8 has not got round to.
  const child = await startChild(['--expose-gc', BIN, 'emulator', '--json'])
  try {
    const e = /** @type {{ url: string, clientId: string, clientSecret: string, username: string, password: string }} */ (/** @type {unknown} */ (child.info))
    const state = async () => /** @type {{ counts: Record<string, number>, limits: Record<string, number>, behaviour: { sessionTimeoutMs: number }, memory: { rss: number, heapUsed: number } }} */ (await (await fetch(`${e.url}/__emulator/state`)).json())
    const control = (/** @type {string} */ action, /** @type {unknown} */ body) => fetch(`${e.url}/__emulator/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const refreshToken = await refreshTokenOverHttp(e)
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: e.clientId, client_secret: e.clientSecret }).toString()
    const MB = 1024 * 1024
    const base = (await state()).memory
    const baseline = base.rss
    const maxRequests = 2_000_000
    const end = performance.now() + N.soakS * 1000
    let sent = 0
    let failed = 0
    let peak = baseline
    let peakTokens = 0
    const sampler = setInterval(() => {
      state().then((s) => {
        peak = Math.max(peak, s.memory.rss)
        peakTokens = Math.max(peakTokens, s.counts.accessTokens ?? 0)
      }, () => undefined)
    }, 1000)
    try {
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (performance.now() < end && sent < maxRequests) {
          sent++
          const r = await fetch(`${e.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })
          await r.arrayBuffer()
          if (r.status !== 200) failed++
        }
      }))
    } finally {
      clearInterval(sampler)
    }
    const during = await state()
    peak = Math.max(peak, during.memory.rss)
    // Past the session timeout: the control API's clock call prunes what expired.
    const moved = await control('clock', { advanceMs: during.behaviour.sessionTimeoutMs + 60_000 })
    if (!moved.ok) throw new Error(`control clock: HTTP ${moved.status}`)
    let after = await state()
    // One second for V8 to hand freed pages back after the collection.
    await new Promise((r) => setTimeout(r, 1000))
    after = await state()
    const wall = N.soakS
    extra.soak = { requests: sent, failed, perSecond: Math.round(sent / wall), baselineMB: baseline / MB, peakMB: peak / MB, afterMB: after.memory.rss / MB, heapUsedMB: { before: base.heapUsed / MB, during: during.memory.heapUsed / MB, after: after.memory.heapUsed / MB }, peakAccessTokens: peakTokens, accessTokenLimit: during.limits.accessTokens, countsAfter: after.counts }
    if (failed > 0) throw new Error(`${failed} of ${sent} refresh grants failed`)
    if ((after.counts.accessTokens ?? -1) !== 0) throw new Error(`${after.counts.accessTokens} access tokens left after the session timeout`)
    record({ id: 'soak_requests', figure: `soak: refresh grants in ${wall} s (4 loopback clients; access tokens at the peak ${peakTokens}, bound ${during.limits.accessTokens})`, unit: 'req', median: sent, note: `${Math.round(sent / wall)}/s` })
    record({ id: 'soak_rss_baseline_mb', figure: 'soak: emulator resident memory before', unit: 'MB', median: baseline / MB })
    record({ id: 'soak_rss_peak_mb', figure: 'soak: emulator resident memory, peak under load', unit: 'MB', median: peak / MB })
    // What the process retains: the V8 heap in use after the collection (RSS also keeps pages V8 and
    // the allocator grew under load and have not handed back).
    record({ id: 'soak_heap_after_over_baseline_mb', figure: 'soak: V8 heap in use after the session timeout, over the baseline', unit: 'MB', median: (after.memory.heapUsed - base.heapUsed) / MB, target: { op: '<=', value: 5, text: '≤ 5 MB' }, note: `${Math.round(base.heapUsed / MB)} → ${Math.round(during.memory.heapUsed / MB)} at the end of the load → ${Math.round(after.memory.heapUsed / MB)} MB` })
    record({ id: 'soak_rss_after_over_baseline_mb', figure: 'soak: resident memory after the session timeout, over the baseline', unit: 'MB', median: (after.memory.rss - baseline) / MB, target: { op: '<=', value: 40, text: '≤ 40 MB' }, note: `after ${Math.round(after.memory.rss / MB)} MB (V8 heap in use ${Math.round(base.heapUsed / MB)} → ${Math.round(during.memory.heapUsed / MB)} → ${Math.round(after.memory.heapUsed / MB)} MB); stores then: ${after.counts.accessTokens} access tokens, ${after.counts.sessions} sessions, ${after.counts.codes} codes` })
  } finally {
    await child.stop()
  }
})

/**
 * A refresh token from an emulator over plain HTTP (authorize, login, consent, token), no browser.
 * @param {{ url: string, clientId: string, clientSecret: string, username: string, password: string }} e
 */
async function refreshTokenOverHttp(e) {
  const go = (/** @type {string} */ url, /** @type {RequestInit} */ init = {}) => fetch(new URL(url, e.url), { redirect: 'manual', ...init })
  const q = new URLSearchParams({ response_type: 'code', client_id: e.clientId, redirect_uri: REDIRECT, scope: 'api refresh_token' })
  const toLogin = new URL((await go(`/services/oauth2/authorize?${q}`)).headers.get('location') ?? '', e.url)
  const form = { 'content-type': 'application/x-www-form-urlencoded' }
  const login = await go('/', { method: 'POST', headers: form, body: new URLSearchParams({ username: e.username, pw: e.password, startURL: toLogin.searchParams.get('startURL') ?? '' }) })
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const consentUrl = new URL(login.headers.get('location') ?? '', e.url)
  const decided = await go(consentUrl.pathname, { method: 'POST', headers: { ...form, cookie }, body: new URLSearchParams({ source: consentUrl.searchParams.get('source') ?? '', oaapprove: ' Allow ' }) })
  const code = new URL(decided.headers.get('location') ?? '').searchParams.get('code') ?? ''
  const token = await go('/services/oauth2/token', { method: 'POST', headers: form, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: e.clientId, client_secret: e.clientSecret }) })
  const body = /** @type {{ refresh_token?: string }} */ (await token.json())
  if (!body.refresh_token) throw new Error(`no refresh token from the emulator (HTTP ${token.status})`)
  return body.refresh_token
}

await section('suite', async () => {
  const suiteEnv = () => {
    const dir = mkdtempSync(join(work, 'suite-'))
    // As a developer runs it: no CI variable (CI adds traces, screenshots and the browser project; its
    // own run, .ci/run, is timed by CI itself).
    return { dir, env: childEnv({ SF_TEST_REPORT_DIR: join(dir, 'results'), SF_TEST_HTML_DIR: join(dir, 'html') }) }
  }
  /** @param {string} dir */
  const counts = (dir) => {
    try {
      const report = JSON.parse(readFileSync(join(dir, 'results', 'report.json'), 'utf8'))
      const s = report.stats ?? {}
      // A timed run that fails names its failures, so a flaky test is found rather than guessed at.
      for (const t of failedTests(report)) process.stdout.write(`    ✗ failed: ${t}\n`)
      return { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: s.unexpected ?? 0, skipped: s.skipped ?? 0 }
    } catch {
      return undefined
    }
  }
  if (noSuite) {
    record({ id: 'offline_ms', figure: 'offline specs wall time', unit: 'ms', median: null, note: 'skipped (--no-suite)' })
    record({ id: 'npm_test_ms', figure: '`npm test` wall time', unit: 'ms', median: null, target: { op: '<=', value: 60_000, text: '≤ 60 s' }, note: 'skipped (--no-suite)' })
    return
  }
  if (existsSync(join(root, 'tests', 'offline'))) {
    const { dir, env } = suiteEnv()
    const r = await run('npx', ['playwright', 'test', 'tests/offline'], { env })
    const c = counts(dir)
    record({ id: 'offline_ms', figure: 'offline specs wall time (npx playwright test tests/offline)', unit: 'ms', median: r.ms, note: c ? `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped` : `exit ${r.code}` })
  } else {
    record({ id: 'offline_ms', figure: 'offline specs wall time', unit: 'ms', median: null, note: 'n/a (no tests/offline)' })
  }
  const { dir, env } = suiteEnv()
  const r = await run('npm', ['test'], { env })
  const c = counts(dir)
  record({ id: 'npm_test_ms', figure: '`npm test` wall time', unit: 'ms', median: r.ms, target: { op: '<=', value: 60_000, text: '≤ 60 s' }, note: c ? `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped` : `exit ${r.code}` })
  extra.suiteProfile = suiteProfile(join(dir, 'results', 'report.json'))
  for (const f of /** @type {{ file: string, project: string, ms: number }[]} */ (extra.suiteProfile ?? []).slice(0, 8)) process.stdout.write(`    ${String(Math.round(f.ms / 100) / 10).padStart(6)} s  [${f.project}] ${f.file}\n`)
})

/**
 * `project file:line title: first error line` of every test that failed or was flaky in a JSON report.
 * @param {any} report @returns {string[]}
 */
function failedTests(report) {
  /** @type {string[]} */
  const out = []
  /** @param {any} suite */
  const walk = (suite) => {
    for (const child of suite.suites ?? []) walk(child)
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'unexpected' && t.status !== 'flaky') continue
        const error = String(t.results?.at(-1)?.error?.message ?? '').split('\n')[0]
        out.push(`[${t.projectName}] ${spec.file}:${spec.line} ${spec.title}${t.status === 'flaky' ? ' (flaky)' : ''}: ${error}`)
      }
    }
  }
  walk(report)
  return out
}

/** Test time summed per file and project, longest first: where `npm test` spends its time. @param {string} file */
function suiteProfile(file) {
  if (!existsSync(file)) return undefined
  /** @type {Map<string, { file: string, project: string, ms: number }>} */
  const per = new Map()
  /** @param {any} suite */
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        const ms = (t.results ?? []).reduce((/** @type {number} */ s, /** @type {{ duration: number }} */ r) => s + r.duration, 0)
        const key = `${t.projectName} ${spec.file}`
        const e = per.get(key) ?? { file: spec.file, project: t.projectName, ms: 0 }
        e.ms += ms
        per.set(key, e)
      }
    }
    for (const s of suite.suites ?? []) walk(s)
  }
  for (const s of JSON.parse(readFileSync(file, 'utf8')).suites ?? []) walk(s)
  return [...per.values()].sort((a, b) => b.ms - a.ms)
}

rmSync(work, { recursive: true, force: true })

// ---- report ------------------------------------------------------------------------------------------

const table = [
  ['figure', 'median', 'p95', 'target', 'result', 'note'],
  ...rows.map((r) => [r.figure, r.note !== undefined && r.median === null ? r.note : fmt(r.median, r.unit), r.p95 === null || r.p95 === r.median ? '' : fmt(r.p95, r.unit), r.target?.text ?? '', verdict(r), r.median === null ? '' : (r.note ?? '')]),
]
const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length))) ?? []
process.stdout.write('\n')
for (const [i, row] of table.entries()) {
  process.stdout.write(`${row.map((c, j) => (j === 0 || j === 5 ? c.padEnd(widths[j] ?? 0) : c.padStart(widths[j] ?? 0))).join('  ').trimEnd()}\n`)
  if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`)
}
const targeted = rows.filter((r) => r.target)
const missed = targeted.filter((r) => verdict(r) === 'miss')
const totalS = Math.round((performance.now() - started) / 1000)
process.stdout.write(`\n${targeted.length - missed.length - targeted.filter((r) => r.median === null).length} of ${targeted.length} targets met${missed.length ? `; missed: ${missed.map((r) => r.id).join(', ')}` : ''}${failures.length ? `; ${failures.length} section(s) failed` : ''} (bench took ${totalS} s)\n`)

const results = { date: new Date().toISOString(), quick, node: process.versions.node, cores: availableParallelism(), cpu, ...extra, rows: rows.map((r) => ({ ...r, result: verdict(r) })), failures: failures.map((e) => e.message) }
writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
writeSvg(join(root, 'bench', 'results.svg'), results.rows)
// The same table in Markdown, for the README's Performance section.
const md = table.map((row) => `| ${row.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`)
md.splice(1, 0, '| --- | ---: | ---: | ---: | --- | --- |')
writeFileSync(join(root, 'bench', 'results.md'), `${md.join('\n')}\n`)
process.stdout.write('wrote bench/results.json, bench/results.svg and bench/results.md\n')
process.exit(failures.length > 0 ? 1 : 0)
