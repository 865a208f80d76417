/**
 * OpenID Connect against the emulator over plain HTTP: the harness's id_token checks (src/oauth/id-token.ts
 * through verifyOpenId) pass on the faithful emulator and fail with their own code on each misbehaviour
 * switch (src/emulator/keys.ts ID_TOKEN_FAULTS, behaviour `userinfoSub`).
 */
import * as op from '../../src/client/operations.js'
import { parseCallback } from '../../src/oauth/callback.js'
import { createPkce } from '../../src/oauth/pkce.js'
import { authorizeOverHttp, REDIRECT } from '../support/http-flow.js'
import { withOperations } from '../support/steps.js'
import { codeOf, expect, test } from '../support/test.js'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { ID_TOKEN_FAULTS } from '../support/id-token-faults.js'

const NONCE = 'n-0123456789abcdef'

/** Authorize (with a nonce) and exchange the code; then verifyOpenId with `nonce`. */
async function openid(em: RunningEmulator, o: { sentNonce?: string; expectNonce?: string; scope?: string; now?: number } = {}) {
  const pkce = createPkce()
  const location = await authorizeOverHttp(em, { scope: o.scope ?? 'api openid', verifier: pkce.verifier, state: 'st1', extra: { nonce: o.sentNonce ?? NONCE } })
  const callback = parseCallback(location, { redirectUri: REDIRECT, state: 'st1' })
  const client = { loginUrl: em.url, clientId: em.app.seed.app.clientId, clientSecret: em.app.seed.app.clientSecret }
  return withOperations(async (ctx) => {
    const { tokens } = await op.exchangeCode(ctx, client, callback, { verifier: pkce.verifier, expectRefreshToken: false })
    return { tokens, checks: await op.verifyOpenId(ctx, client, tokens, { nonce: o.expectNonce ?? NONCE, ...(o.now === undefined ? {} : { now: o.now }) }) }
  })
}

test('the faithful emulator passes every id_token check, and userinfo names the same subject', async ({ emulator }) => {
  const { checks } = await openid(emulator)
  expect(checks.map((c) => `${c.name}:${c.status}`)).toEqual(['id_token signature:pass', 'id_token iss:pass', 'id_token aud:pass', 'id_token exp/iat:pass', 'id_token nonce:pass', 'id_token at_hash:pass', 'id_token sub:pass', 'userinfo sub:pass'])
})

for (const { fault, code } of ID_TOKEN_FAULTS) {
  test(`an id_token with ${fault} is ${code}`, async ({ emulator }) => {
    emulator.app.configure({ idToken: fault })
    expect(await codeOf(openid(emulator))).toBe(code)
  })
}

test('a nonce other than the one sent is ID_TOKEN_NONCE_MISMATCH (the emulator echoes what it got)', async ({ emulator }) => {
  expect(await codeOf(openid(emulator, { sentNonce: 'another-nonce' }))).toBe('ID_TOKEN_NONCE_MISMATCH')
})

test('an id_token from a server clock an hour ahead is ID_TOKEN_ISSUED_IN_FUTURE; within the skew it passes', async ({ emulator }) => {
  expect(await codeOf(openid(emulator, { now: Date.now() - 3600_000 }))).toBe('ID_TOKEN_ISSUED_IN_FUTURE')
  expect((await openid(emulator, { now: Date.now() - 60_000 })).checks.length).toBe(8)
})

test('userinfo naming another user than the id_token is USERINFO_SUBJECT_MISMATCH', async ({ emulator }) => {
  emulator.app.configure({ userinfoSub: 'other' })
  expect(await codeOf(openid(emulator))).toBe('USERINFO_SUBJECT_MISMATCH')
})

test('no openid in the scope: no id_token, and verifyOpenId says ID_TOKEN_MISSING', async ({ emulator }) => {
  expect(await codeOf(openid(emulator, { scope: 'api' }))).toBe('ID_TOKEN_MISSING')
})

test('the refresh grant\'s id_token carries no nonce and verifies without one', async ({ emulator }) => {
  const pkce = createPkce()
  const location = await authorizeOverHttp(emulator, { scope: 'api refresh_token openid', verifier: pkce.verifier, state: 's', extra: { nonce: NONCE } })
  const client = { loginUrl: emulator.url, clientId: emulator.app.seed.app.clientId, clientSecret: emulator.app.seed.app.clientSecret }
  await withOperations(async (ctx) => {
    const { tokens } = await op.exchangeCode(ctx, client, parseCallback(location, { redirectUri: REDIRECT, state: 's' }), { verifier: pkce.verifier, expectRefreshToken: true })
    const refreshed = await op.refresh(ctx, client, tokens.refreshToken ?? '')
    const claims = JSON.parse(Buffer.from((refreshed.tokens.idToken ?? '').split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
    expect(claims.nonce).toBeUndefined()
    expect((await op.verifyOpenId(ctx, client, refreshed.tokens, { nonce: undefined })).map((c) => c.name)).not.toContain('id_token nonce')
  })
})
