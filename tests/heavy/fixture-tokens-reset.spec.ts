/**
 * The published fixtures together (sf-oauth-harness/test, in process, a real browser): the emulator's
 * per-test reset runs before `salesforceTokens` is checked, whichever fixture a test names first, so the
 * token set is active during the test and is not the one an earlier test held.
 */
import { createOperationContext, introspect } from '../../src/index.js'
import { expect, test, type SalesforceEmulator, type TokenSet } from '../../src/testing/index.js'

test.describe.configure({ mode: 'serial' })

const seen: string[] = []

async function active(em: SalesforceEmulator, tokens: TokenSet): Promise<void> {
  const ctx = createOperationContext({ timeoutMs: 5_000 })
  try {
    await introspect(ctx, { loginUrl: em.url, clientId: em.clientId, clientSecret: em.clientSecret }, tokens.accessToken)
  } finally {
    await ctx.close()
  }
}

test('tokens named first: active after the reset', async ({ salesforceTokens, salesforceEmulator }) => {
  await active(salesforceEmulator, salesforceTokens)
  seen.push(salesforceTokens.refreshToken ?? '')
})

test('emulator named first: active, and a token set of its own', async ({ salesforceEmulator, salesforceTokens }) => {
  await active(salesforceEmulator, salesforceTokens)
  expect(seen).not.toContain(salesforceTokens.refreshToken)
})

test('tokens alone: the emulator is reset for them too, and they are active', async ({ salesforceTokens, salesforceTarget }) => {
  const ctx = createOperationContext({ timeoutMs: 5_000 })
  try {
    await introspect(ctx, salesforceTarget, salesforceTokens.accessToken)
  } finally {
    await ctx.close()
  }
  expect(seen).not.toContain(salesforceTokens.refreshToken)
})
