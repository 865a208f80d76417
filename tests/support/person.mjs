#!/usr/bin/env node
/**
 * Plays the person of `sf-oauth login --open-with "node tests/support/person.mjs"`: opens the URL (its
 * last argument) in a headless Chromium, types the credentials, clicks Allow (or Deny), and lets the
 * browser follow the redirect to the loopback server, as a person's browser would. The credentials come
 * from PERSON_USERNAME / PERSON_PASSWORD (never SF_*: the harness must not know them); PERSON_DECISION
 * is allow (default) or deny; PERSON_REPORT, if set, receives the heading of the page the browser ends on.
 * With PERSON_CATCH=<redirect URI> nothing needs to listen there: the request to it is answered inside
 * the browser and its URL printed on stdout, as the person would copy it from the address bar.
 */
import { writeFileSync } from 'node:fs'
import { chromium } from 'playwright'
import { launchOptions } from '../../dist/browser/launch.js'
import { catchCallback } from '../../dist/browser/callback-catcher.js'

const url = process.argv.at(-1)
const { PERSON_USERNAME: username, PERSON_PASSWORD: password, PERSON_DECISION: decision = 'allow', PERSON_REPORT: report, PERSON_CATCH: redirectUri } = process.env
if (url === undefined || username === undefined || password === undefined) {
  process.stderr.write('person.mjs: need the URL as last argument and PERSON_USERNAME, PERSON_PASSWORD\n')
  process.exit(2)
}
const browser = await chromium.launch(launchOptions({ headless: true }))
try {
  const page = await browser.newPage()
  // The harness's own catcher (CDP): the request to the redirect URI never leaves the browser.
  const catcher = redirectUri === undefined ? undefined : await catchCallback(page, redirectUri, { intercept: true, state: new URL(url).searchParams.get('state') ?? undefined })
  await page.goto(url)
  await page.locator('#username').fill(username)
  await page.locator('#password').fill(password)
  await page.locator('#Login').click()
  await page.locator(decision === 'deny' ? '#oadeny' : '#oaapprove').click()
  if (catcher !== undefined) {
    process.stdout.write(`${await catcher.url}\n`)
    catcher.dispose()
  } else {
    // The redirect lands on the loopback server, which answers with its own page.
    const heading = await page.locator('h1').textContent({ timeout: 30_000 })
    if (report !== undefined) writeFileSync(report, `${heading ?? ''}\n${await page.locator('p').first().textContent() ?? ''}\n`)
  }
} finally {
  await browser.close()
}
