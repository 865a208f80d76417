#!/usr/bin/env node
/**
 * A small mutation check of the security rules (issue 11): break each rule where it is called, in a copy
 * of the project, run the specs that guard it, and expect them to fail. Not part of `npm test`: it runs
 * the guarding specs once per mutation (a few minutes). The working tree is never modified.
 *
 *   node scripts/mutation-check.mjs [--only NAME,...] [--keep]
 *
 * Prints a table (mutation, caught?, the tests that failed) and exits 1 when a mutation survives.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const MISBEHAVIOUR = 'tests/scenarios/misbehaviour.spec.ts'
const SQUATTER = 'tests/flow/code-stays-in-browser.spec.ts'

/**
 * Each mutation: the file, what to find (a string must occur exactly once; a RegExp is replaced once),
 * what to put there, and the specs (with an optional title filter) expected to fail.
 * @type {{ name: string, rule: string, file: string, find: string | RegExp, replace: string, specs: string[], grep?: string }[]}
 */
const MUTATIONS = [
  {
    name: 'state-compared-with-itself',
    rule: 'the flow compares the callback state with the state it sent',
    file: 'src/flow/web-server-flow.ts',
    find: 'parseCallback(callbackUrl, { redirectUri: target.redirectUri, state })',
    replace: "parseCallback(callbackUrl, { redirectUri: target.redirectUri, state: new URL(callbackUrl).searchParams.get('state') ?? state })",
    specs: [MISBEHAVIOUR],
    grep: 'forged state',
  },
  {
    name: 'redirect-uri-path-ignored',
    rule: 'matchesRedirectUri compares the path, not only the origin',
    file: 'src/oauth/authorize-response.ts',
    find: 'a.host === b.host && a.pathname === b.pathname',
    replace: 'a.host === b.host',
    specs: [MISBEHAVIOUR],
    grep: 'another path',
  },
  {
    name: 'refresh-idempotent',
    rule: 'the refresh POST is never re-sent (a 503 with Retry-After included)',
    file: 'src/http/oauth.ts',
    find: /(export function requestRefresh[\s\S]*?idempotent: )false/,
    replace: '$1true',
    specs: [MISBEHAVIOUR],
    grep: 'Retry-After',
  },
  {
    name: 'rotated-token-saved-after-validation',
    rule: 'a rotated refresh token is written to the file before the answer is validated',
    file: 'src/flow/refresh.ts',
    find: /(rotation\.stored = \{ \.\.\.saved, refreshToken: rotated, savedAt: new Date\(\)\.toISOString\(\) \}\n)\s*await writeTokenFile\(file, rotation\.stored\)\n/,
    replace: '$1',
    specs: [MISBEHAVIOUR],
    grep: 'rotated answer',
  },
  {
    name: 'refresh-login-url-guard-removed',
    rule: "a token file whose login URL is not the target's is refused before anything is sent",
    file: 'src/store/token-file.ts',
    find: 'if (!sameLoginUrl(set.loginUrl, expect.loginUrl)) {',
    replace: 'if (false) {',
    specs: [MISBEHAVIOUR],
    grep: 'another login URL',
  },
  {
    name: 's256-check-removed',
    rule: 'the flow checks the authorize URL it opens carries the S256 challenge',
    file: 'src/flow/web-server-flow.ts',
    find: 'check(pkceCheck(opened, pkce))',
    replace: '',
    specs: [MISBEHAVIOUR],
    grep: 'S256',
  },
  {
    name: 'cdp-interception-off',
    rule: 'headless, the redirect URI is answered inside the browser (CDP), never over the network',
    file: 'src/flow/web-server-flow.ts',
    find: 'intercept: server === undefined,',
    replace: 'intercept: false,',
    specs: [SQUATTER, MISBEHAVIOUR],
    grep: 'squatter|opens itself|another path|another host',
  },
  {
    name: 'stray-callback-let-through',
    rule: 'a code for this flow sent to another host or path is stopped in the browser',
    file: 'src/browser/callback-catcher.ts',
    find: '} else if (document && isStrayCallback(full, opts.state)) {',
    replace: '} else if (false) {',
    specs: [MISBEHAVIOUR],
    grep: 'another host',
  },
]

const argv = process.argv.slice(2)
const onlyAt = argv.indexOf('--only')
const only = onlyAt >= 0 ? new Set((argv[onlyAt + 1] ?? '').split(',')) : undefined
const keep = argv.includes('--keep')
const chosen = MUTATIONS.filter((m) => only === undefined || only.has(m.name))
if (chosen.length === 0) {
  process.stderr.write(`mutation-check: no mutation named ${[...(only ?? [])].join(',')}; known: ${MUTATIONS.map((m) => m.name).join(', ')}\n`)
  process.exit(2)
}

const SKIP = new Set(['node_modules', '.git', 'dist', 'test-results', 'playwright-report', 'blob-report'])

/** A fresh copy of the project (node_modules linked), so a mutation never touches the working tree. */
function copyProject() {
  const dir = mkdtempSync(join(tmpdir(), 'sf-oauth-mutation-'))
  cpSync(root, dir, { recursive: true, filter: (src) => !SKIP.has(relative(root, src).split('/')[0] ?? '') })
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

/** @param {string} dir @param {typeof MUTATIONS[number]} m */
function mutate(dir, m) {
  const path = join(dir, m.file)
  const text = readFileSync(path, 'utf8')
  let out
  if (typeof m.find === 'string') {
    const at = text.indexOf(m.find)
    if (at < 0 || text.indexOf(m.find, at + 1) >= 0) throw new Error(`${m.name}: "${m.find}" must occur exactly once in ${m.file}`)
    out = text.slice(0, at) + m.replace + text.slice(at + m.find.length)
  } else {
    out = text.replace(m.find, m.replace)
    if (out === text) throw new Error(`${m.name}: ${String(m.find)} not found in ${m.file}`)
  }
  writeFileSync(path, out)
  return text
}

/**
 * Run specs in `dir`; returns the titles of failed tests (and whether the run failed at all).
 * @param {string} dir @param {string[]} specs @param {string | undefined} grep
 */
function runSpecs(dir, specs, grep) {
  const report = join(dir, 'mutation-report.json')
  rmSync(report, { force: true })
  const args = ['playwright', 'test', ...specs, '--workers=1', '--reporter=json', ...(grep ? ['--grep', grep] : [])]
  const r = spawnSync('npx', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: report }, maxBuffer: 64 * 1024 * 1024 })
  /** @type {string[]} */
  const failed = []
  let ran = 0
  if (existsSync(report)) {
    /** @param {any} suite @param {string} file */
    const walk = (suite, file) => {
      for (const spec of suite.specs ?? []) {
        for (const t of spec.tests ?? []) {
          ran++
          if (t.status === 'unexpected' || t.status === 'flaky') failed.push(`${file}: ${spec.title}`)
        }
      }
      for (const s of suite.suites ?? []) walk(s, file)
    }
    const data = JSON.parse(readFileSync(report, 'utf8'))
    for (const s of data.suites ?? []) walk(s, s.file ?? s.title)
  }
  return { exit: r.status, failed, ran, stderr: r.stderr }
}

const dir = copyProject()
process.stdout.write(`mutation-check: project copied to ${dir}\n`)
/** @type {{ name: string, rule: string, caught: boolean, failed: string[] }[]} */
const rows = []
try {
  // Unmutated, the same specs must pass, or a "caught" below would mean nothing.
  const allSpecs = [...new Set(chosen.flatMap((m) => m.specs))]
  const base = runSpecs(dir, allSpecs, chosen.map((m) => m.grep ?? '.').join('|'))
  if (base.exit !== 0 || base.ran === 0) {
    process.stderr.write(`mutation-check: the guarding specs fail (or run nothing) without any mutation:\n${base.failed.join('\n')}\n${base.stderr.slice(-2000)}\n`)
    process.exit(2)
  }
  process.stdout.write(`baseline: ${base.ran} tests pass unmutated\n`)
  for (const m of chosen) {
    const original = mutate(dir, m)
    try {
      const r = runSpecs(dir, m.specs, m.grep)
      const caught = r.exit !== 0 && r.failed.length > 0
      rows.push({ name: m.name, rule: m.rule, caught, failed: r.failed })
      process.stdout.write(`${caught ? 'caught  ' : 'SURVIVED'} ${m.name} (${r.failed.length} of ${r.ran} failed)\n`)
    } finally {
      writeFileSync(join(dir, m.file), original)
    }
  }
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true })
}

process.stdout.write('\n| mutation | rule broken | caught by |\n|---|---|---|\n')
for (const r of rows) process.stdout.write(`| ${r.name} | ${r.rule} | ${r.caught ? r.failed.join('<br>') : '**survived**'} |\n`)
process.exit(rows.every((r) => r.caught) ? 0 : 1)
