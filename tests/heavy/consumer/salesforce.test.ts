import { test, expect } from 'sf-oauth-harness/test'

test('a checked token set for the org (or the emulator)', async ({ salesforceTokens, salesforceTarget }) => {
  expect(salesforceTokens).toBeSalesforceTokenResponse()
  expect(salesforceTokens).toHaveValidSignature(salesforceTarget.clientSecret ?? '')
  expect(salesforceTokens.refreshToken).toBeDefined()
})

test('the emulator: switches and clock are reset before each test', async ({ salesforceEmulator, salesforceTokens }) => {
  salesforceEmulator.clock.advance(60_000)
  expect(salesforceTokens.instanceUrl).toBe(salesforceEmulator.url)
  expect({ ...salesforceTokens, signature: 'forged' }).not.toHaveValidSignature(salesforceEmulator.clientSecret)
})
