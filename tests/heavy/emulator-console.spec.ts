/**
 * The emulator console in a real headless browser: rotation and PKCE-required are switched on from the
 * page (one by mouse, one by keyboard), and a flow that follows sees both: without a code challenge it
 * ends on the error page, with one it gets tokens, and its refresh returns a new refresh token.
 */
import { expect } from '@playwright/test'
import { test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'

test('flip rotation and PKCE-required in the console; the next flow sees both', async ({ emulator, page }) => {
  await page.goto(`${emulator.url}/__emulator/`)
  await expect(page.getByRole('heading', { name: 'Switches' })).toBeVisible()
  const rotation = page.getByLabel('rotation', { exact: true })
  const pkce = page.getByLabel('requirePkce', { exact: true })
  await expect(rotation).not.toBeChecked()
  await expect(pkce).not.toBeChecked()
  // A change posts the switch, then the page reloads to show the emulator's state: wait for that reload,
  // or the next keystroke may land on the page being replaced.
  await Promise.all([page.waitForEvent('load'), rotation.check()])
  await expect(page.getByLabel('rotation', { exact: true })).toBeChecked()
  // By keyboard: focus the box and press Space.
  await page.getByLabel('requirePkce', { exact: true }).focus()
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Space')])
  await expect(page.getByLabel('requirePkce', { exact: true })).toBeChecked()
  expect(emulator.app.behaviour()).toMatchObject({ rotation: true, requirePkce: true })

  // No challenge: the org requires PKCE, so the authorize step ends on the error page.
  const refused = await authorizeOverHttp(emulator)
  expect(refused).not.toContain('code=')
  // With a challenge: tokens, and the refresh rotates.
  const verifier = 'v'.repeat(43)
  const code = codeFrom(await authorizeOverHttp(emulator, { verifier }))
  const { app } = emulator.app.seed
  const tokens = await postToken(emulator, { grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: REDIRECT, code_verifier: verifier })
  expect(tokens.status).toBe(200)
  const refreshed = await postToken(emulator, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token ?? '', client_id: app.clientId, client_secret: app.clientSecret })
  expect(refreshed.status).toBe(200)
  expect(refreshed.body.refresh_token).toMatch(/^5Aep861/)
  expect(refreshed.body.refresh_token).not.toBe(tokens.body.refresh_token)

  // The console shows them masked, the old one as used, and the requests in its log.
  await page.reload()
  await expect(page.getByText('used (rotated)')).toBeVisible()
  const text = (await page.content())
  for (const t of [tokens.body.refresh_token, refreshed.body.refresh_token, tokens.body.access_token, code]) expect(text).not.toContain(t)
  await expect(page.getByRole('cell', { name: '/services/oauth2/token' }).first()).toBeVisible()
})

test('the console advances the clock, and its controls are refused from another origin', async ({ emulator, page }) => {
  await page.goto(`${emulator.url}/__emulator/`)
  const before = emulator.app.clock.now()
  await page.getByLabel('Advance by minutes').fill('90')
  // The form posts, then reloads the page: wait for that reload, or it may land after the goto below and
  // put the page back on the console's origin (the page's time was never `before` anyway, so no text
  // check can tell the reload has happened).
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Advance' }).click()])
  expect(Date.parse((await page.locator('#now').textContent()) ?? '') - before).toBeGreaterThanOrEqual(90 * 60_000)
  expect(emulator.app.clock.now() - before).toBeGreaterThanOrEqual(90 * 60_000)
  // A page on another origin (localhost vs 127.0.0.1) cannot switch anything, nor frame the console.
  const other = emulator.url.replace('127.0.0.1', 'localhost')
  await page.goto(`${other}/__emulator/state`)
  const status = await page.evaluate(async (url) => (await fetch(`${url}/__emulator/configure`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"rotation":true}', mode: 'no-cors' })).type, emulator.url)
  expect(status).toBe('opaque')
  expect(emulator.app.behaviour().rotation).toBe(false)
})
