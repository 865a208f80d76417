/** Refresh behaviour (the code flow over HTTP: no page logic under test) (docs/salesforce-oauth.md §3): rotation, family revocation, idle expiry, the 5-approval limit. */
import { codeOf, expect, test } from '../support/test.js'
import { refresh } from '../support/steps.js'

test('no rotation: the refresh answer has no refresh_token, and the old one keeps working', async ({ httpFlow, emulator }) => {
  const rt = (await httpFlow.run()).tokens.refreshToken ?? ''
  expect((await refresh(emulator, httpFlow.target, rt)).tokens.refreshToken).toBeUndefined()
  expect((await refresh(emulator, httpFlow.target, rt)).tokens.accessToken).toBeTruthy()
})

test('rotation: a new refresh token each time; reusing an old one revokes the whole family', async ({ httpFlow, emulator }) => {
  emulator.app.configure({ rotation: true })
  const rt1 = (await httpFlow.run()).tokens.refreshToken ?? ''
  const rt2 = (await refresh(emulator, httpFlow.target, rt1)).tokens.refreshToken ?? ''
  expect(rt2).toMatch(/^5Aep861/)
  expect(rt2).not.toBe(rt1)
  const rt3 = (await refresh(emulator, httpFlow.target, rt2)).tokens.refreshToken ?? ''
  expect(await codeOf(refresh(emulator, httpFlow.target, rt1))).toBe('TOKEN_REFRESH_TOKEN_EXPIRED')
  // The reuse took the newest member down with it.
  expect(await codeOf(refresh(emulator, httpFlow.target, rt3))).toBe('TOKEN_REFRESH_TOKEN_EXPIRED')
})

test('a refresh token idle longer than the policy (emulator clock): TOKEN_REFRESH_TOKEN_EXPIRED', async ({ httpFlow, emulator }) => {
  emulator.app.configure({ refreshIdleMs: 30 * 24 * 3600 * 1000 })
  const rt = (await httpFlow.run()).tokens.refreshToken ?? ''
  emulator.app.clock.advance(29 * 24 * 3600 * 1000)
  expect((await refresh(emulator, httpFlow.target, rt)).tokens.accessToken).toBeTruthy()
  emulator.app.clock.advance(30 * 24 * 3600 * 1000 + 1)
  expect(await codeOf(refresh(emulator, httpFlow.target, rt))).toBe('TOKEN_REFRESH_TOKEN_EXPIRED')
})

test('a revoked refresh token: TOKEN_REFRESH_TOKEN_EXPIRED', async ({ httpFlow, emulator }) => {
  const rt = (await httpFlow.run()).tokens.refreshToken ?? ''
  emulator.app.state.revokeRefreshToken(rt)
  expect(await codeOf(refresh(emulator, httpFlow.target, rt))).toBe('TOKEN_REFRESH_TOKEN_EXPIRED')
})

test('the 6th approval of one user for one app silently revokes the oldest refresh token', async ({ httpFlow, emulator }) => {
  test.setTimeout(90_000)
  const tokens: string[] = []
  for (let i = 0; i < 6; i++) tokens.push((await httpFlow.run({}, { prompt: 'login' })).tokens.refreshToken ?? '')
  expect(new Set(tokens).size).toBe(6)
  expect(await codeOf(refresh(emulator, httpFlow.target, tokens[0] ?? ''))).toBe('TOKEN_REFRESH_TOKEN_EXPIRED')
  for (const rt of tokens.slice(1)) expect((await refresh(emulator, httpFlow.target, rt)).tokens.accessToken).toBeTruthy()
})
