/** Login and identity verification (docs/salesforce-oauth.md §6.1, §6.2). */
import { join } from 'node:path'
import { existsSync, statSync } from 'node:fs'
import { totpCode } from '../../src/browser/verification.js'
import { codeOf, expect, test } from '../support/test.js'

test('an inactive user: inactive_user at the callback, AUTHORIZE_INACTIVE_USER', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ userActive: false })
  expect(await codeOf(flow.run())).toBe('AUTHORIZE_INACTIVE_USER')
})

test('email verification with no way to get the code fails at once: IDENTITY_VERIFICATION_REQUIRED', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ verification: 'email' })
  // A hang would run into the 60 s step limit and the test timeout; it must fail at the page.
  expect(await codeOf(flow.run({}, { timeoutMs: 60_000 }))).toBe('IDENTITY_VERIFICATION_REQUIRED')
})

test('authenticator verification with no secret fails at once: IDENTITY_VERIFICATION_REQUIRED', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ verification: 'totp' })
  expect(await codeOf(flow.run({}, { timeoutMs: 60_000 }))).toBe('IDENTITY_VERIFICATION_REQUIRED')
})

test('authenticator verification with SF_TOTP_SECRET passes headless', async ({ flow, emulator }) => {
  emulator.app.configure({ verification: 'totp' })
  const result = await flow.run({}, { verification: { totpSecret: emulator.app.seed.user.totpSecret } })
  expect(result.steps.find((s) => s.name === 'identity verification')?.detail).toBe('authenticator code (TOTP)')
  expect(result.tokens.refreshToken).toBeDefined()
})

test('a wrong authenticator secret: IDENTITY_VERIFICATION_FAILED', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ verification: 'totp' })
  expect(totpCode('JBSWY3DPEHPK3PXP')).toMatch(/^\d{6}$/)
  expect(await codeOf(flow.run({}, { verification: { totpSecret: 'JBSWY3DPEHPK3PXP' } }))).toBe('IDENTITY_VERIFICATION_FAILED')
})

test('email verification with SF_VERIFICATION_CODE_COMMAND; "remember this browser" skips it next time', { tag: '@browser' }, async ({ flow, emulator }, testInfo) => {
  emulator.app.configure({ verification: 'email' })
  // The command reads the emulator's test inbox, as a real one would read a mailbox.
  const command = `node -e "fetch('${emulator.url}/__emulator/mailbox').then(r => r.json()).then(m => console.log(m.code))"`
  const stateFile = join(testInfo.outputPath(), 'browser-state.json')
  const first = await flow.run({}, { verification: { codeCommand: command }, browserStateFile: stateFile })
  expect(first.steps.map((s) => s.name)).toContain('identity verification')
  expect(existsSync(stateFile)).toBe(true)
  expect(statSync(stateFile).mode & 0o777).toBe(0o600)
  // A new browser context with the saved state: remembered, so no verification (and no command needed).
  const browser = flow.page.context().browser()
  if (browser === null) throw new Error('no browser')
  const ctx = await browser.newContext({ storageState: stateFile })
  try {
    await ctx.clearCookies({ name: 'sid' })
    const second = await flow.run({}, { page: await ctx.newPage() })
    expect(second.steps.map((s) => s.name)).toContain('login')
    expect(second.steps.map((s) => s.name)).not.toContain('identity verification')
  } finally {
    await ctx.close()
  }
})

test('a failing code command: VERIFICATION_CODE_UNAVAILABLE', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ verification: 'email' })
  expect(await codeOf(flow.run({}, { verification: { codeCommand: 'exit 3' } }))).toBe('VERIFICATION_CODE_UNAVAILABLE')
})
