// A careless consumer: prints a token and attaches the token set. The harness's guard must mask both.
import { writeFileSync } from 'node:fs'
import { test, expect } from 'sf-oauth-harness/test'

test('careless output is masked', async ({ salesforceTokens }, testInfo) => {
  writeFileSync('raw-token.txt', salesforceTokens.accessToken)
  console.log(`access token: ${salesforceTokens.accessToken}`)
  await testInfo.attach('tokens', { body: JSON.stringify(salesforceTokens), contentType: 'application/json' })
  expect(salesforceTokens.accessToken.length).toBeGreaterThan(20)
})
