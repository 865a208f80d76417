/**
 * The browser session owns what it opens and nothing else: its own context (closed by endPage/close,
 * twice is harmless), never the caller's page; it loads the browser storage state file when there is one
 * and saves it 0600; headless, the callback is caught inside the browser (no server on the port).
 */
import { existsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { openBrowserSession } from '../../src/browser/session.js'

test('a session in the caller\'s browser opens one context, blocks service workers, and closes only it', { tag: '@browser' }, async ({ browser }) => {
  const before = browser.contexts().length
  const session = await openBrowserSession({ browser, timeoutMs: 5_000 })
  expect(browser.contexts().length).toBe(before + 1)
  expect(session.ownsContext).toBe(true)
  expect(session.launched).toBeUndefined()
  expect(session.page.context().serviceWorkers()).toEqual([])
  await session.close()
  await session.close()
  expect(browser.contexts().length).toBe(before)
  // The caller's browser stays usable.
  expect(browser.isConnected()).toBe(true)
})

test('a session in the caller\'s page closes nothing of it', { tag: '@browser' }, async ({ page }) => {
  const session = await openBrowserSession({ page, timeoutMs: 5_000 })
  expect(session.ownsContext).toBe(false)
  expect(session.page).toBe(page)
  await session.endPage()
  await session.close()
  expect(page.isClosed()).toBe(false)
  await page.setContent('<p>still here</p>')
  await expect(page.locator('p')).toHaveText('still here')
})

test('browser storage state: a missing file starts empty, the saved one is 0600 and is loaded by the next session', { tag: '@browser' }, async ({ browser }, testInfo) => {
  const file = join(testInfo.outputPath(), 'browser-state.json')
  const first = await openBrowserSession({ browser, timeoutMs: 5_000, storageStateFile: file })
  try {
    expect(await first.page.context().cookies()).toEqual([])
    await first.page.context().addCookies([{ name: 'sid', value: 'remembered', domain: '127.0.0.1', path: '/' }])
    await first.saveStorageState(file)
  } finally {
    await first.close()
  }
  expect(statSync(file).mode & 0o777).toBe(0o600)
  const second = await openBrowserSession({ browser, timeoutMs: 5_000, storageStateFile: file })
  try {
    expect((await second.page.context().cookies()).map((c) => `${c.name}=${c.value}`)).toEqual(['sid=remembered'])
  } finally {
    await second.close()
  }
})

test('a storage state file that is not JSON fails the session and leaves no context open', { tag: '@browser' }, async ({ browser }, testInfo) => {
  const file = join(testInfo.outputPath(), 'broken-state.json')
  writeFileSync(file, 'not json')
  const before = browser.contexts().length
  await expect(openBrowserSession({ browser, timeoutMs: 5_000, storageStateFile: file })).rejects.toThrow()
  expect(browser.contexts().length).toBe(before)
  expect(existsSync(file)).toBe(true)
})

test('headless, the callback is caught inside the browser; the navigation watch stops when asked', { tag: '@browser' }, async ({ browser }) => {
  const session = await openBrowserSession({ browser, timeoutMs: 5_000 })
  try {
    expect(await session.callbackRoute('http://localhost:1717/OauthRedirect')).toEqual({ intercept: true })
    const seen: string[] = []
    const stop = session.watchNavigation((url) => seen.push(url))
    await session.page.goto('data:text/html,<p>one</p>')
    stop()
    await session.page.goto('data:text/html,<p>two</p>')
    expect(seen).toEqual(['data:text/html,<p>one</p>'])
  } finally {
    await session.close()
  }
})
