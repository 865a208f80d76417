/**
 * The test tiers of playwright.config.ts (docs/contributing.md): at a desk `npm test` leaves the
 * @browser variants out; with CI set, the default run is every project but heavy, so no CI job loses a
 * test; the browser project is exactly the @browser tests. Nested `playwright test --list` runs.
 */
import { spawnSync } from 'node:child_process'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { baseEnv } from '../support/env.js'

interface Listed { readonly id: string; readonly project: string; readonly tags: readonly string[]; readonly where: string }

function list(args: string[], env: Record<string, string>): Listed[] {
  const r = spawnSync(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--list', '--reporter=json', ...args], { env: baseEnv(env), encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 })
  expect(r.status, r.stderr.slice(-1000)).toBe(0)
  const out: Listed[] = []
  interface Suite { specs?: { id: string; tags: string[]; file: string; line: number; tests: { projectName: string }[] }[]; suites?: Suite[] }
  const walk = (s: Suite): void => {
    // The JSON report names tags without their @.
    for (const spec of s.specs ?? []) for (const t of spec.tests) out.push({ id: spec.id, project: t.projectName, tags: spec.tags.map((g) => `@${g}`), where: `${spec.file}:${spec.line}` })
    for (const c of s.suites ?? []) walk(c)
  }
  for (const s of (JSON.parse(r.stdout) as { suites: Suite[] }).suites) walk(s)
  return out
}

const key = (t: Listed) => `${t.project} ${t.id}`

test('npm test at a desk leaves out the browser tier; with CI set, the default run is every project but heavy', () => {
  const desk = list([], { CI: '' })
  const ci = list([], { CI: 'true' })
  const all = list(['--project=*'], { CI: 'true' })
  expect(desk.filter((t) => t.tags.includes('@browser'))).toEqual([])
  // The desk run still drives a real browser: the flow, the CLI's own browser, a passkey, TOTP, an interstitial page.
  expect(desk.filter((t) => t.project === 'emulator' && /happy-path|flow-cli|login-pages|login\.spec|code-stays/.test(t.where)).length).toBeGreaterThanOrEqual(5)
  expect(desk.map(key).sort()).toEqual(ci.filter((t) => t.project !== 'browser').map(key).sort())
  expect(ci.map(key).sort()).toEqual(all.filter((t) => t.project !== 'heavy').map(key).sort())
  const browser = ci.filter((t) => t.project === 'browser')
  expect(browser.length).toBeGreaterThanOrEqual(70)
  expect(browser.filter((t) => !t.tags.includes('@browser'))).toEqual([])
  // Every @browser test runs in exactly one project.
  expect(all.filter((t) => t.tags.includes('@browser')).map((t) => t.project).filter((p) => p !== 'browser')).toEqual([])
})
