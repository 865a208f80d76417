/** The run-time browser ladder of an installed copy (src/browser/launch.ts) and its agreement with setup. */
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
// @ts-expect-error: plain JS module (checked by tsc through // @ts-check, typed by JSDoc)
import { isInstalledCopy, SYSTEM_BROWSERS as SETUP_BROWSERS, userCacheDir as setupCacheDir } from '../../scripts/setup-lib.mjs'
import { findBrowser, SETUP_COMMAND, SYSTEM_BROWSERS } from '../../src/browser/launch.js'
import { userCacheDir } from '../../src/config.js'

/** The code a synchronous call throws. */
function thrownCode(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return (err as { code?: string }).code
  }
  return undefined
}

const only = (...paths: string[]) => (p: string) => paths.includes(p)
const none = { records: [] as string[], playwrightChromium: '/pw/chrome', platform: 'linux' }

test('no record and no Playwright Chromium: a system Chromium is found at run time, no setup step needed', () => {
  expect(findBrowser(undefined, { ...none, exists: only('/usr/bin/chromium') })).toEqual({ executablePath: '/usr/bin/chromium', source: 'system' })
  expect(findBrowser(undefined, { ...none, exists: only('/usr/bin/google-chrome-stable') })).toEqual({ executablePath: '/usr/bin/google-chrome-stable', source: 'system' })
  // Debian's headless shell alone is enough for a headless run.
  expect(findBrowser(undefined, { ...none, exists: only('/usr/bin/chromium-headless-shell') }).executablePath).toBe('/usr/bin/chromium-headless-shell')
})

test('Playwright\'s own Chromium comes before a system one; SF_BROWSER_PATH before both', () => {
  expect(findBrowser(undefined, { ...none, exists: only('/pw/chrome', '/usr/bin/chromium') })).toEqual({ executablePath: undefined, source: 'playwright' })
  expect(findBrowser('/opt/c', { ...none, exists: only('/opt/c', '/pw/chrome') })).toEqual({ executablePath: '/opt/c', source: 'SF_BROWSER_PATH' })
})

test('nothing found: BROWSER_NOT_FOUND naming npx sf-oauth setup; a missing SF_BROWSER_PATH is not skipped', () => {
  let message = ''
  try {
    findBrowser(undefined, { ...none, exists: () => false })
  } catch (err) {
    message = (err as Error).message
    expect((err as { code?: string }).code).toBe('BROWSER_NOT_FOUND')
  }
  expect(message).toContain(SETUP_COMMAND)
  expect(SETUP_COMMAND).toBe('npx sf-oauth setup')
  expect(thrownCode(() => findBrowser('/gone', { ...none, exists: only('/usr/bin/chromium') }))).toBe('BROWSER_NOT_FOUND')
})

test('ladder and setup agree: the same system browsers, the same per-user cache directory', () => {
  expect(SYSTEM_BROWSERS).toEqual(SETUP_BROWSERS)
  const setup = setupCacheDir as (o: { env: Record<string, string | undefined>; platform: string; home: string }) => string
  for (const [env, platform] of [[{}, 'linux'], [{ XDG_CACHE_HOME: '/x/cache' }, 'linux'], [{ XDG_CACHE_HOME: 'relative' }, 'linux'], [{}, 'darwin']] as const) {
    expect(userCacheDir(env, platform, '/home/u')).toBe(setup({ env, platform, home: '/home/u' }))
  }
  expect(userCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/u')).toBe('/x/cache/sf-oauth-harness')
  expect(userCacheDir({ XDG_CACHE_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.cache/sf-oauth-harness')
})

test('a stale record is passed over, and a record in the per-user cache is used', async ({}, testInfo) => {
  const { writeFileSync } = await import('node:fs')
  const stale = testInfo.outputPath('stale.json')
  const cache = testInfo.outputPath('cache.json')
  writeFileSync(stale, JSON.stringify({ executablePath: '/gone/chrome' }))
  writeFileSync(cache, JSON.stringify({ executablePath: '/opt/my-chrome' }))
  const exists = (p: string) => p === '/opt/my-chrome' || p === '/usr/bin/chromium' || p === stale || p === cache
  expect(findBrowser(undefined, { ...none, records: [stale, cache], exists })).toEqual({ executablePath: '/opt/my-chrome', source: 'cache' })
  expect(findBrowser(undefined, { ...none, records: [stale], exists })).toEqual({ executablePath: '/usr/bin/chromium', source: 'system' })
})

test('an installed copy is told apart from a clone by its missing tsconfig', () => {
  const installed = isInstalledCopy as (o: { root: string; exists: (p: string) => boolean }) => boolean
  expect(installed({ root: '/p/node_modules/sf-oauth-harness', exists: () => false })).toBe(true)
  expect(installed({ root: '/src/sf-oauth-harness', exists: (p) => p === '/src/sf-oauth-harness/tsconfig.build.json' })).toBe(false)
})
