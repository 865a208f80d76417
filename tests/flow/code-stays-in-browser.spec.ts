/**
 * Headless, the request to the redirect URI is caught inside the browser (CDP request interception) and
 * answered there: a process squatting on the redirect URI's port never receives the code or the state.
 */
import { runWebServerFlow } from '../../src/flow/web-server-flow.js'
import { registerRedirectUri, startSquatter, type Squatter } from '../support/squatter.js'
import { expect, test } from '../support/test.js'

let squatter: Squatter
test.beforeEach(async () => {
  squatter = await startSquatter()
})
test.afterEach(async () => {
  await squatter.close()
})

test('a squatter on the redirect URI port receives nothing: not a connection, not a byte', async ({ flow, emulator }) => {
  const redirectUri = `http://127.0.0.1:${squatter.port}/OauthRedirect`
  registerRedirectUri(emulator, redirectUri)
  const result = await flow.run({ redirectUri })
  expect(result.tokens.accessToken).toMatch(/^00D/)
  expect(result.checks.filter((c) => c.status !== 'pass')).toEqual([])
  expect(squatter.received()).toBe('')
  expect(squatter.connections).toBe(0)
  // The page shows our own answer at the redirect URI, served from inside the browser.
  expect(flow.page.url().startsWith(redirectUri)).toBe(true)
})

test('the same in a context the flow opens itself (the CLI path), and a denial stays in the browser too', { tag: '@browser' }, async ({ browser, flow, emulator }) => {
  const redirectUri = `http://127.0.0.1:${squatter.port}/OauthRedirect`
  registerRedirectUri(emulator, redirectUri)
  const target = { ...flow.target, redirectUri }
  const result = await runWebServerFlow({ target, browser, timeoutMs: 10_000 })
  expect(result.tokens.refreshToken).toMatch(/^5Aep861/)
  await expect(runWebServerFlow({ target, browser, timeoutMs: 10_000, decision: 'deny', prompt: 'consent' })).rejects.toMatchObject({ code: 'AUTHORIZE_ACCESS_DENIED' })
  expect(squatter.received()).toBe('')
  expect(squatter.connections).toBe(0)
})
