/**
 * Past one machine: two shards of a small run each write a blob report (playwright.config.ts switches to
 * the blob reporter under --shard), and `playwright merge-reports --config merge.config.ts` makes one
 * HTML report and one JUnit file holding the tests of both shards, as the nightly workflow's merge job does.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { baseEnv } from '../support/env.js'

const SPECS = ['tests/oauth/signature.spec.ts', 'tests/oauth/callback.spec.ts']

function playwright(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['node_modules/@playwright/test/cli.js', ...args], { env: baseEnv({ CI: '', ...env }), stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString()))
  child.stderr.on('data', (c: Buffer) => (out += c.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })))
}

const testNames = (out: string) => [...out.matchAll(/✓ +\d+ \[unit\] › (\S+:\d+:\d+) ›/g)].map((m) => m[1] ?? '')

test('--shard=1/2 and --shard=2/2 write blob reports that merge into one HTML and one JUnit report', async () => {
  test.setTimeout(120_000)
  const work = mkdtempSync(join(tmpdir(), 'sf-oauth-shards-'))
  const ran: string[][] = []
  for (const shard of [1, 2]) {
    const r = await playwright(['test', '--project=unit', ...SPECS, `--shard=${shard}/2`, '--workers=1', '--output', join(work, `results-${shard}`)], { SF_TEST_BLOB_DIR: join(work, `blob-${shard}`) })
    expect(r.code, r.out.slice(-2000)).toBe(0)
    // A shard writes only its blob: no HTML report of its own.
    const blobs = readdirSync(join(work, `blob-${shard}`))
    expect(blobs, `shard ${shard}`).toEqual([expect.stringMatching(new RegExp(`^report-.*-${shard}\\.zip$`))])
    ran.push(testNames(r.out))
  }
  // Each shard ran a part, and the parts do not overlap.
  expect(ran[0]?.length).toBeGreaterThan(0)
  expect(ran[1]?.length).toBeGreaterThan(0)
  const all = [...(ran[0] ?? []), ...(ran[1] ?? [])]
  expect(new Set(all).size).toBe(all.length)

  const merged = join(work, 'all-blobs')
  mkdirSync(merged)
  for (const shard of [1, 2]) cpSync(join(work, `blob-${shard}`), merged, { recursive: true })
  const m = await playwright(['merge-reports', '--config', 'merge.config.ts', merged], { SF_TEST_REPORT_DIR: join(work, 'reports'), SF_TEST_HTML_DIR: join(work, 'html') })
  expect(m.code, m.out.slice(-2000)).toBe(0)
  expect(existsSync(join(work, 'html', 'index.html'))).toBe(true)

  const report = JSON.parse(readFileSync(join(work, 'reports', 'report.json'), 'utf8')) as { stats: { expected: number; unexpected: number } }
  expect(report.stats).toMatchObject({ expected: all.length, unexpected: 0 })
  const junit = readFileSync(join(work, 'reports', 'junit.xml'), 'utf8')
  expect(junit).toMatch(new RegExp(`<testsuites [^>]*tests="${all.length}" failures="0"`))
  // Both spec files (one per shard at least) are in the one JUnit file.
  for (const spec of SPECS) expect(junit).toContain(`classname="${spec.replace('tests/', '')}"`)
})
