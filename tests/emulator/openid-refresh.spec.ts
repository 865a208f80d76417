/**
 * The refresh grant's id_token, checked as the code exchange's is (src/client/operations.ts `refresh`):
 * signature against /id/keys, iss, aud, exp/iat, at_hash against the new access token, sub; no nonce
 * (a refresh answers no authorize request). The emulator's id_token misbehaviour switches
 * (src/emulator/keys.ts ID_TOKEN_FAULTS) apply to the refresh answer too. No browser: the code comes from
 * the emulator's pages in memory, the token calls go over loopback HTTP.
 */
import * as op from '../../src/client/operations.js'
import { parseCallback } from '../../src/oauth/callback.js'
import { createPkce } from '../../src/oauth/pkce.js'
import { readTokenFile, savedTokenSet, writeTokenFile } from '../../src/store/token-store.js'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { expect, runMain, test } from '../support/cli-main.js'
import { authorizeOverHttp, REDIRECT } from '../support/http-flow.js'
import { withOperations } from '../support/steps.js'
import { codeOf } from '../support/test.js'
import { ID_TOKEN_FAULTS } from '../support/id-token-faults.js'

const NONCE = 'n-refresh-0123456789'

/** A code exchange with openid (and a nonce), over HTTP: the tokens a refresh starts from. */
async function openidTokens(em: RunningEmulator, scope = 'api refresh_token openid') {
  const pkce = createPkce()
  const location = await authorizeOverHttp(em, { scope, verifier: pkce.verifier, state: 's', extra: { nonce: NONCE } })
  const client = { loginUrl: em.url, clientId: em.app.seed.app.clientId, clientSecret: em.app.seed.app.clientSecret }
  const { tokens } = await withOperations((ctx) => op.exchangeCode(ctx, client, parseCallback(location, { redirectUri: REDIRECT, state: 's' }), { verifier: pkce.verifier, expectRefreshToken: true }))
  return { client, tokens }
}

const ID_TOKEN_CHECKS = ['id_token signature:pass', 'id_token iss:pass', 'id_token aud:pass', 'id_token exp/iat:pass', 'id_token at_hash:pass', 'id_token sub:pass']

test('a good refresh id_token passes every check but the nonce, against /id/keys and the new access token', async ({ emulator }) => {
  const { client, tokens } = await openidTokens(emulator)
  const keysBefore = emulator.app.state.hits.get('/id/keys') ?? 0
  const refreshed = await withOperations((ctx) => op.refresh(ctx, client, tokens.refreshToken ?? ''))
  expect(refreshed.tokens.idToken).toBeDefined()
  expect(refreshed.tokens.accessToken).not.toBe(tokens.accessToken)
  expect(refreshed.checks.filter((c) => c.name.startsWith('id_token ')).map((c) => `${c.name}:${c.status}`)).toEqual(ID_TOKEN_CHECKS)
  expect(emulator.app.state.hits.get('/id/keys')).toBe(keysBefore + 1)
})

test('a refresh without openid in the scope has no id_token and asks nothing of /id/keys', async ({ emulator }) => {
  const { client, tokens } = await openidTokens(emulator, 'api refresh_token')
  const refreshed = await withOperations((ctx) => op.refresh(ctx, client, tokens.refreshToken ?? ''))
  expect(refreshed.tokens.idToken).toBeUndefined()
  expect(refreshed.checks.some((c) => c.name.startsWith('id_token '))).toBe(false)
  expect(emulator.app.state.hits.get('/id/keys')).toBeUndefined()
})

// The faults a refresh's id_token can have (nonce faults cannot: the refresh id_token carries none).
for (const { fault, code } of ID_TOKEN_FAULTS.filter((f) => !f.nonce)) {
  test(`a refresh id_token with ${fault} is ${code}`, async ({ emulator }) => {
    const { client, tokens } = await openidTokens(emulator)
    // Faithful on the code exchange; misbehaving from the refresh on.
    emulator.app.configure({ idToken: fault })
    expect(await codeOf(withOperations((ctx) => op.refresh(ctx, client, tokens.refreshToken ?? '')))).toBe(code)
  })
}

test('an emulator clock an hour ahead: the refresh id_token is ID_TOKEN_ISSUED_IN_FUTURE', async ({ emulator }) => {
  const { client, tokens } = await openidTokens(emulator)
  emulator.app.clock.advance(3600_000)
  expect(await codeOf(withOperations((ctx) => op.refresh(ctx, client, tokens.refreshToken ?? '')))).toBe('ID_TOKEN_ISSUED_IN_FUTURE')
})

test('sf-oauth refresh checks the id_token: the good one is listed, a forged one exits 1 with its code after the rotated token is saved', async ({ emulator, org }, testInfo) => {
  const { tokens } = await openidTokens(emulator)
  const file = testInfo.outputPath('tokens.json')
  await writeTokenFile(file, savedTokenSet({ loginUrl: emulator.url, clientId: emulator.app.seed.app.clientId, username: emulator.app.seed.user.username }, tokens))

  const good = await runMain(['refresh', '--file', file, '--json'], { env: org.env })
  expect(good.code, good.stderr).toBe(0)
  const out = JSON.parse(good.stdout) as { checks: { name: string; status: string }[] }
  expect(out.checks.filter((c) => c.name.startsWith('id_token ')).map((c) => `${c.name}:${c.status}`)).toEqual(ID_TOKEN_CHECKS)

  emulator.app.configure({ idToken: 'forged-signature', rotation: true })
  const before = (await readTokenFile(file)).refreshToken
  const forged = await runMain(['refresh', '--file', file, '--json'], { env: org.env })
  expect(forged.code).toBe(1)
  expect((JSON.parse(forged.stdout) as { error: { code: string } }).error.code).toBe('ID_TOKEN_SIGNATURE_INVALID')
  // Rotation-aware: the new refresh token reached the file before the id_token was found forged.
  const after = (await readTokenFile(file)).refreshToken
  expect(after).not.toBe(before)
  expect(emulator.app.state.refreshTokens.has(after ?? '')).toBe(true)
  // Nothing of the token set in the output.
  for (const secret of [before, after, tokens.accessToken]) expect(forged.stdout + forged.stderr).not.toContain(secret)
})
