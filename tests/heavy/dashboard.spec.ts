/**
 * `sf-oauth report`: the dashboard of a nightly-like history (three check runs, target b breaking in run 2
 * and recovering in run 3) opened from file:// in headless Chromium: b's strip shows pass, fail, pass, its
 * last error with the fix is marked as recovered, the status filter works by keyboard; a screenshot is
 * attached (docs/images/dashboard.png is one). Then: no secret of the run anywhere in the page.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect } from '@playwright/test'
import { main } from '../../src/cli/main.js'
import { emptyDir } from '../support/cli.js'
import { test } from '../support/emulator.js'
import { threeNights } from '../support/nightly.js'

async function report(history: string, out: string): Promise<{ code: number; stdout: string }> {
  let stdout = ''
  const code = await main(['report', '--history', history, '--out', out], { stdout: (t) => (stdout += t), stderr: (t) => (stdout += t) })
  return { code, stdout }
}

test('the dashboard shows the break and the recovery, filters by status, and works from file://', async ({ emulator, page }, testInfo) => {
  const dir = emptyDir()
  const { history } = await threeNights(emulator, dir, [])
  const out = join(dir, 'dashboard')
  const r = await report(history, out)
  expect(r.code, r.stdout).toBe(0)
  expect(r.stdout).toMatch(/^dashboard: .*index\.html \(2 targets, 6 checks\)/)
  const blocked: string[] = []
  page.on('request', (req) => {
    if (!req.url().startsWith('file:')) blocked.push(req.url())
  })
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  await page.goto(pathToFileURL(join(out, 'index.html')).href)
  await expect(page.getByTestId('summary')).toContainText('2 targets, 0 failing now · 6 checks')
  const b = page.getByTestId('target-b')
  await expect(b.getByTestId('strip').locator('span')).toHaveCount(3)
  await expect(b.getByTestId('strip').locator('span')).toHaveClass(['pass', 'fail', 'pass'])
  await expect(b.getByTestId('last-error')).toContainText('TOKEN_REFRESH_TOKEN_EXPIRED')
  await expect(b.getByTestId('last-error')).toContainText('(since recovered)')
  await expect(b.getByTestId('last-error')).toContainText('Fix:')
  await expect(b.getByTestId('expiry')).toContainText(/^\d{4}-\d\d-\d\dT/)
  await expect(page.getByTestId('target-a').getByTestId('last-error')).toHaveCount(0)
  await expect(b.locator('svg[role=img]')).toHaveCount(1)
  const shot = testInfo.outputPath('dashboard.png')
  await page.screenshot({ fullPage: true, path: shot })
  await testInfo.attach('dashboard', { path: shot, contentType: 'image/png' })
  // The filter, by keyboard: "Failing (0)" hides both targets, "All" shows them again.
  await page.getByRole('button', { name: 'Failing (0)' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('button', { name: 'Failing (0)' })).toHaveAttribute('aria-pressed', 'true')
  await expect(b).toBeHidden()
  await page.getByRole('button', { name: 'All (2)' }).click()
  await expect(b).toBeVisible()
  // The CSP let the page's own script run (the filter worked) and nothing was fetched from anywhere.
  expect(blocked).toEqual([])
  expect(errors).toEqual([])
})

test('the dashboard holds no secret of the run it shows', async ({ emulator }) => {
  const dir = emptyDir()
  const { history, secrets } = await threeNights(emulator, dir, [])
  const out = join(dir, 'dashboard')
  expect((await report(history, out)).code).toBe(0)
  const html = readFileSync(join(out, 'index.html'), 'utf8')
  const { app, user } = emulator.app.seed
  const accessTokens = ['a', 'b'].map((n) => (JSON.parse(readFileSync(join(dir, `${n}.json`), 'utf8')) as { accessToken: string }).accessToken)
  for (const s of [...secrets, ...accessTokens, app.clientSecret, user.password]) {
    expect(s.length).toBeGreaterThan(8)
    expect(html).not.toContain(s)
    expect(html).not.toContain(s.slice(0, 24))
  }
  // Nothing shaped like a Salesforce token either (00D…! sessions, 5Aep refresh tokens, aPrx codes).
  expect(html).not.toMatch(/00D\w{12,15}!|5Aep861\w{20}|aPrx\w{20}/)
})
