import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
// @ts-expect-error: plain JS module (checked by tsc through // @ts-check, typed by JSDoc)
import { decideHeadlessShell, HEADLESS_SHELLS as SETUP_SHELLS } from '../../scripts/setup-lib.mjs'
import { HEADLESS_SHELLS, headlessShellFor } from '../../src/browser/launch.js'

type Decide = (o: Record<string, unknown>) => { kind: string; path?: string; command?: string }
const decide = decideHeadlessShell as Decide
const debian = 'ID=debian\nVERSION_ID="12"\n'

test('headless shell: used when present, installed with apt as root on Debian, otherwise left alone', () => {
  const has = (p: string) => p === '/usr/bin/chromium-headless-shell'
  expect(decide({ executablePath: '/usr/bin/chromium', exists: has, isRoot: false, osRelease: debian })).toEqual({ kind: 'present', path: '/usr/bin/chromium-headless-shell' })
  expect(decide({ executablePath: '/usr/bin/chromium', exists: () => false, isRoot: true, osRelease: debian })).toMatchObject({ kind: 'apt', command: 'apt-get install -y chromium-headless-shell' })
  expect(decide({ executablePath: '/usr/bin/chromium', exists: () => false, isRoot: false, osRelease: debian })).toEqual({ kind: 'none' })
  expect(decide({ executablePath: '/usr/bin/chromium', exists: () => false, isRoot: true, osRelease: 'ID=fedora' })).toEqual({ kind: 'none' })
  // Chrome, Playwright's own Chromium and SF_BROWSER_PATH are never swapped.
  expect(decide({ executablePath: '/usr/bin/google-chrome', exists: () => true, isRoot: true, osRelease: debian })).toEqual({ kind: 'none' })
  expect(decide({ executablePath: 'playwright', exists: () => true, isRoot: true, osRelease: debian })).toEqual({ kind: 'none' })
})

test('headless shell: setup and the launcher agree on the pairs', () => {
  expect(SETUP_SHELLS as unknown).toEqual(HEADLESS_SHELLS)
  expect(headlessShellFor(undefined)).toBeUndefined()
  expect(headlessShellFor('/opt/not-a-known-chromium')).toBeUndefined()
})
