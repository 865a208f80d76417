// @ts-check
/* global fetch, URLSearchParams */
/**
 * The floor: the same navigations, clicks and token POST as one harness flow, in raw Playwright and
 * fetch, with no harness code around them (no page objects, no state machine, no checks). What a flow
 * cannot cost less than on this machine; the warm-flow/floor ratio measures the harness's overhead.
 */
import { createHash, randomBytes } from 'node:crypto'

/**
 * One flow in a fresh context of `browser`: authorize URL (state + S256 challenge), login, consent,
 * catch the redirect, close the context, POST the code. Returns the token answer's JSON.
 * @param {import('playwright').Browser} browser
 * @param {{ loginUrl: string, clientId: string, clientSecret: string, username: string, password: string, redirectUri: string, scope: string }} t
 * @param {{ prompt?: string }} [o]
 */
export async function floorFlow(browser, t, o = {}) {
  const state = randomBytes(16).toString('base64url')
  const verifier = randomBytes(48).toString('base64url')
  const url = new URL('/services/oauth2/authorize', t.loginUrl)
  url.search = new URLSearchParams({
    response_type: 'code', client_id: t.clientId, redirect_uri: t.redirectUri, scope: t.scope, state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
    ...(o.prompt ? { prompt: o.prompt } : {}),
  }).toString()
  const context = await browser.newContext()
  let callback
  try {
    const page = await context.newPage()
    const caught = page.waitForRequest((r) => r.url().startsWith(t.redirectUri))
    await page.goto(url.toString(), { waitUntil: 'commit' })
    await page.fill('#username', t.username)
    await page.fill('#password', t.password)
    await page.click('#Login')
    const next = await Promise.race([caught, page.waitForSelector('#oaapprove')])
    if (next !== null && 'click' in next) await next.click()
    callback = new URL((await caught).url())
  } finally {
    await context.close()
  }
  const res = await fetch(new URL('/services/oauth2/token', t.loginUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: callback.searchParams.get('code') ?? '', client_id: t.clientId, client_secret: t.clientSecret, redirect_uri: t.redirectUri, code_verifier: verifier }),
  })
  if (res.status !== 200) throw new Error(`floor: token POST answered ${res.status}`)
  return /** @type {Record<string, string>} */ (await res.json())
}
