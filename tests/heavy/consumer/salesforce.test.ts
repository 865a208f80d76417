import { test, expect } from 'sf-oauth-harness/test'

test('a checked token set', async ({ salesforceTokens, salesforceTarget }) => {
  expect(salesforceTokens).toBeSalesforceTokenResponse()
  expect(salesforceTokens).toHaveValidSignature(salesforceTarget.clientSecret ?? '')
})

test('the emulator: switches and clock are reset before each test', async ({ salesforceEmulator, salesforceTokens }) => {
  salesforceEmulator.clock.advance(60_000)
  expect(salesforceTokens.instanceUrl).toBe(salesforceEmulator.url)
  expect({ ...salesforceTokens, signature: 'forged' }).not.toHaveValidSignature(salesforceEmulator.clientSecret)
})
