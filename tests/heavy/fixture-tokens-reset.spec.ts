/**
 * The published fixtures together (sf-oauth-harness/test, in process, a real browser): the emulator's
 * per-test reset runs before `salesforceTokens` is checked, whichever fixture a test names first, and
 * keeps the worker's token set (one flow per worker), while a token a test obtained itself is gone.
 */
import { createOperationContext, introspect, refresh, revoke, type OAuthClient } from '../../src/index.js'
import { expect, test, type SalesforceEmulator, type TokenSet } from '../../src/testing/index.js'

test.describe.configure({ mode: 'serial' })

const worker: { refreshToken?: string | undefined; ownAccessToken?: string } = {}

const client = (em: SalesforceEmulator): OAuthClient => ({ loginUrl: em.url, clientId: em.clientId, clientSecret: em.clientSecret })

async function withContext<T>(fn: (ctx: ReturnType<typeof createOperationContext>) => Promise<T>): Promise<T> {
  const ctx = createOperationContext({ timeoutMs: 5_000 })
  try {
    return await fn(ctx)
  } finally {
    await ctx.close()
  }
}

const active = (em: SalesforceEmulator, tokens: TokenSet) => withContext((ctx) => introspect(ctx, client(em), tokens.accessToken))

test('tokens named first: active after the reset; the test obtains an access token of its own', async ({ salesforceTokens, salesforceEmulator }) => {
  await active(salesforceEmulator, salesforceTokens)
  worker.refreshToken = salesforceTokens.refreshToken
  const own = await withContext((ctx) => refresh(ctx, client(salesforceEmulator), salesforceTokens.refreshToken ?? ''))
  worker.ownAccessToken = own.tokens.accessToken
  await withContext((ctx) => introspect(ctx, client(salesforceEmulator), own.tokens.accessToken))
})

test('emulator named first: the worker\'s set is active and the same (one flow per worker); the earlier test\'s own token is gone', async ({ salesforceEmulator, salesforceTokens }) => {
  await active(salesforceEmulator, salesforceTokens)
  expect(salesforceTokens.refreshToken).toBe(worker.refreshToken)
  const code = await withContext((ctx) => introspect(ctx, client(salesforceEmulator), worker.ownAccessToken ?? '')).then(() => 'active', (e: unknown) => (e as { code?: string }).code)
  expect(code).toBe('TOKEN_INACTIVE')
})

test('a test that revokes the worker\'s refresh token: the next test gets a new, active set', async ({ salesforceTokens, salesforceEmulator }) => {
  await revoke(salesforceEmulator.url, salesforceTokens.refreshToken ?? '', { timeoutMs: 5_000 })
})

test('tokens alone, after the revoke: a new set, active', async ({ salesforceTokens, salesforceTarget }) => {
  await withContext((ctx) => introspect(ctx, salesforceTarget, salesforceTokens.accessToken))
  expect(salesforceTokens.refreshToken).not.toBe(worker.refreshToken)
})
