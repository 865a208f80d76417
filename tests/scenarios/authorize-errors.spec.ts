/** Authorize errors in their three real shapes (docs/salesforce-oauth.md §1.5), each through the real browser. */
import { codeOf, expect, test } from '../support/test.js'

test('OAUTH_APP_BLOCKED is redirected to the callback with state: AUTHORIZE_APP_BLOCKED', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ appBlocked: true })
  expect(await codeOf(flow.run())).toBe('AUTHORIZE_APP_BLOCKED')
})

test('an app not installed in the org ends on the error page: AUTHORIZE_APP_NOT_INSTALLED', async ({ flow, emulator }) => {
  emulator.app.configure({ appInstalled: false })
  expect(await codeOf(flow.run())).toBe('AUTHORIZE_APP_NOT_INSTALLED')
})

test('an org that requires PKCE, and no challenge: OAUTH_APPROVAL_ERROR_GENERIC, named AUTHORIZE_PKCE_REQUIRED (no challenge was sent)', { tag: '@browser' }, async ({ flow, httpFlow, emulator }) => {
  emulator.app.configure({ requirePkce: true })
  expect(await codeOf(flow.run({ pkce: false }))).toBe('AUTHORIZE_PKCE_REQUIRED')
  // With a challenge the same org lets the flow through (no page logic left to test: over HTTP).
  expect((await httpFlow.run({ pkce: true })).tokens.refreshToken).toBeDefined()
})

test('refresh_token asked of an app without it: invalid_scope on the error page, AUTHORIZE_INVALID_SCOPE', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ appRefreshScope: false })
  expect(await codeOf(flow.run({ scope: 'api refresh_token' }))).toBe('AUTHORIZE_INVALID_SCOPE')
})

test('immediate=true without a logged-in, approved user: AUTHORIZE_IMMEDIATE_UNSUCCESSFUL', { tag: '@browser' }, async ({ flow }) => {
  expect(await codeOf(flow.run({}, { immediate: true }))).toBe('AUTHORIZE_IMMEDIATE_UNSUCCESSFUL')
})

test('immediate=true once logged in and approved: straight back with a code', { tag: '@browser' }, async ({ flow }) => {
  await flow.run()
  const result = await flow.run({}, { immediate: true })
  expect(result.steps.map((s) => s.name)).not.toContain('login')
  expect(result.tokens.accessToken).toBeTruthy()
})
