/**
 * `flow --headed` without SF_USERNAME/SF_PASSWORD (issue 13): the person logs in at the browser, the
 * harness recognises each page but waits for the person on login (a wrong password included) and
 * identity verification instead of typing or failing, clicks Allow itself, and takes over at the callback.
 * Here the test is the person, on the same page; headless, since the waiting does not depend on a window.
 */
import { expect } from '@playwright/test'
import { authorizeInBrowser } from '../../src/browser/authorize.js'
import { parseCallback } from '../../src/oauth/callback.js'
import { buildAuthorizeUrl } from '../../src/oauth/authorize-url.js'
import { test } from '../support/emulator.js'
import { REDIRECT } from '../support/http-flow.js'

test('the person logs in (after a wrong password); the harness waits, then allows and catches the callback', { tag: '@browser' }, async ({ page, emulator }) => {
  const { app, user } = emulator.app.seed
  const authorizeUrl = buildAuthorizeUrl({ loginUrl: emulator.url, clientId: app.clientId, redirectUri: REDIRECT, scope: 'api refresh_token', state: 'st-person' }).toString()
  const steps: string[] = []
  const harness = authorizeInBrowser(page, { authorizeUrl, redirectUri: REDIRECT, username: '', password: '', timeoutMs: 10_000, person: { waitMs: 60_000 }, onStep: (name, _ms, detail) => steps.push(`${name}: ${detail ?? ''}`) })
  // The person: a typo first (LOGIN_FAILED for a robot), then the right password.
  await page.locator('#username').fill(user.username)
  await page.locator('#password').fill('wrong-password-typed-by-hand')
  await page.locator('#Login').click()
  await expect(page.locator('div#error.loginError')).toBeVisible()
  await page.locator('#password').fill(user.password)
  await page.locator('#Login').click()
  const callbackUrl = await harness
  expect(parseCallback(callbackUrl, { redirectUri: REDIRECT, state: 'st-person' }).code).toMatch(/^aPrx/)
  expect(steps).toContain('login: by the person at the browser')
  expect(steps).toContain('consent: clicked Allow')
})

test('nobody logs in: CALLBACK_TIMEOUT after the person\'s wait, naming the page', { tag: '@browser' }, async ({ page, emulator }) => {
  const { app } = emulator.app.seed
  const authorizeUrl = buildAuthorizeUrl({ loginUrl: emulator.url, clientId: app.clientId, redirectUri: REDIRECT, scope: 'api', state: 's' }).toString()
  const err = await authorizeInBrowser(page, { authorizeUrl, redirectUri: REDIRECT, username: '', password: '', timeoutMs: 500, person: { waitMs: 1000 } }).then(() => undefined, (e: unknown) => e as { code: string; message: string })
  expect(err?.code).toBe('CALLBACK_TIMEOUT')
  expect(err?.message).toContain('the person did not finish')
})
