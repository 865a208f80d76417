import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
// @ts-expect-error: plain JS module (checked by tsc through // @ts-check, typed by JSDoc)
import { decideBrowser, needsBuild, needsNpmCi } from '../../scripts/setup-lib.mjs'
import { baseEnv } from '../support/env.js'

interface Decision { kind: string; source?: string; executablePath?: string; plan?: string; command?: string; message?: string }
type Decide = (o: Record<string, unknown>) => Decision
const decide = decideBrowser as Decide
const debian = 'ID=debian\nVERSION_ID="12"\n'
const base = { env: {}, platform: 'linux', playwrightChromium: undefined, isRoot: false, osRelease: debian }

test('browser ladder: SF_BROWSER_PATH first, and a missing one is an error, not a fallback', () => {
  expect(decide({ ...base, env: { SF_BROWSER_PATH: '/opt/c' }, exists: (p: string) => p === '/opt/c' })).toEqual({ kind: 'use', source: 'SF_BROWSER_PATH', executablePath: '/opt/c' })
  expect(decide({ ...base, env: { SF_BROWSER_PATH: '/opt/none' }, exists: (p: string) => p === '/usr/bin/chromium' }).kind).toBe('error')
})

test('browser ladder: Playwright\'s Chromium, then a system one', () => {
  expect(decide({ ...base, playwrightChromium: '/pw/chrome', exists: () => true })).toMatchObject({ kind: 'use', source: 'playwright' })
  expect(decide({ ...base, exists: (p: string) => p === '/usr/bin/google-chrome' })).toEqual({ kind: 'use', source: 'system', executablePath: '/usr/bin/google-chrome' })
  expect(decide({ ...base, platform: 'darwin', exists: (p: string) => p.includes('Google Chrome.app') })).toMatchObject({ kind: 'use', source: 'system' })
})

test('browser ladder: install plans in order, then the exact command', () => {
  const none = () => false
  expect(decide({ ...base, exists: none })).toMatchObject({ kind: 'install', plan: 'playwright' })
  expect(decide({ ...base, exists: none, isRoot: true, triedPlaywrightInstall: true })).toMatchObject({ kind: 'install', plan: 'apt', command: 'apt-get install -y chromium' })
  expect(decide({ ...base, exists: none, isRoot: false, triedPlaywrightInstall: true })).toMatchObject({ kind: 'install', plan: 'manual', command: 'sudo apt-get install -y chromium' })
  expect(decide({ ...base, exists: none, isRoot: true, triedPlaywrightInstall: true, triedApt: true })).toMatchObject({ plan: 'manual' })
  expect(decide({ ...base, exists: none, osRelease: 'ID=fedora', triedPlaywrightInstall: true })).toMatchObject({ plan: 'manual', command: 'npx playwright install chromium' })
})

test('npm ci and build decisions follow mtimes', () => {
  const ci = needsNpmCi as (o: Record<string, number | undefined>) => boolean
  const build = needsBuild as (o: Record<string, number | undefined>) => boolean
  expect(ci({ lockMtime: 10, installedMtime: undefined })).toBe(true)
  expect(ci({ lockMtime: 10, installedMtime: 5 })).toBe(true)
  expect(ci({ lockMtime: 10, installedMtime: 20 })).toBe(false)
  expect(build({ newestSource: 10, newestOutput: undefined })).toBe(true)
  expect(build({ newestSource: 10, newestOutput: 9 })).toBe(true)
  expect(build({ newestSource: 10, newestOutput: 11 })).toBe(false)
})

test('setup is idempotent: a second run does nothing and prints nothing with --quiet', () => {
  execFileSync(process.execPath, ['scripts/setup.mjs', '--quiet'], { env: baseEnv() })
  const t0 = performance.now()
  const out = execFileSync(process.execPath, ['scripts/setup.mjs', '--quiet'], { env: baseEnv(), encoding: 'utf8' })
  const ms = performance.now() - t0
  expect(out).toBe('')
  expect(ms).toBeLessThan(5_000) // sanity bound only; the measured figure is in the issue note
  expect(spawnSync(process.execPath, ['scripts/setup.mjs', '--check'], { env: baseEnv() }).status).toBe(0)
  expect(spawnSync(process.execPath, ['scripts/setup.mjs', '--bogus'], { env: baseEnv() }).status).toBe(2)
})

test('the launcher says how to build when dist is missing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-oauth-bin-'))
  cpSync('bin', join(dir, 'bin'), { recursive: true })
  const r = spawnSync(process.execPath, [join(dir, 'bin', 'sf-oauth.js'), 'flow'], { encoding: 'utf8' })
  expect(r.status).toBe(3)
  expect(r.stderr).toBe('sf-oauth: not built yet; run npm run setup\n')
})
