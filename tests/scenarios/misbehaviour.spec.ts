/**
 * A misbehaving server, end to end: each misbehaviour switch of the emulator (src/emulator/behaviour.ts)
 * against the real flow and the real refresh. Where the browser's part is under test (the callback) the flow
 * runs in a headless browser; elsewhere over HTTP (httpFlow), as the token side sees no difference. Each test
 * names the rule it guards; scripts/mutation-check.mjs breaks those rules and expects these tests to fail.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { refreshSaved } from '../../src/flow/refresh.js'
import type { FlowTarget } from '../../src/flow/web-server-flow.js'
import { createHttp } from '../../src/http/client.js'
import { readTokenFile } from '../../src/store/token-store.js'
import { registerRedirectUri, startSquatter } from '../support/squatter.js'
import { codeOf, expect, test, type HttpFlowFixture } from '../support/test.js'

const tokenPosts = (em: RunningEmulator) => em.app.state.hits.get('/services/oauth2/token') ?? 0

/** A token file saved from a real flow (as `sf-oauth flow --save` writes it) in the test's output directory. */
function savedFile(httpFlow: HttpFlowFixture): Promise<string> {
  const dir = test.info().outputPath()
  mkdirSync(dir, { recursive: true })
  return httpFlow.saveTo(join(dir, 'tokens.json'))
}

async function refreshFile(file: string, target: FlowTarget, loginUrl?: string) {
  const http = createHttp({ timeoutMs: 10_000 })
  try {
    return await refreshSaved(file, { http, clientSecret: target.clientSecret, timeoutMs: 10_000, ...(loginUrl === undefined ? {} : { expect: { loginUrl, from: 'the target' } }) })
  } finally {
    await http.close()
  }
}

test.describe('the callback', () => {
  test('a forged state on the code redirect is STATE_MISMATCH, and no token is asked for', async ({ flow, emulator }) => {
    emulator.app.configure({ callbackState: 'forged' })
    expect(await codeOf(flow.run())).toBe('STATE_MISMATCH')
    expect(tokenPosts(emulator)).toBe(0)
  })

  test('a forged state on an error redirect is STATE_MISMATCH too, not the error it carries', { tag: '@browser' }, async ({ flow, emulator }) => {
    emulator.app.configure({ callbackState: 'forged' })
    expect(await codeOf(flow.run({}, { decision: 'deny' }))).toBe('STATE_MISMATCH')
  })

  test('the callback on another path of the redirect origin is CALLBACK_URI_MISMATCH; nothing leaves the browser', { tag: '@browser' }, async ({ flow, emulator }) => {
    const squatter = await startSquatter()
    try {
      const redirectUri = `http://127.0.0.1:${squatter.port}/OauthRedirect`
      registerRedirectUri(emulator, redirectUri)
      emulator.app.configure({ callbackUri: `http://127.0.0.1:${squatter.port}/Elsewhere` })
      expect(await codeOf(flow.run({ redirectUri }))).toBe('CALLBACK_URI_MISMATCH')
      expect(tokenPosts(emulator)).toBe(0)
      expect(squatter.received()).toBe('')
      expect(squatter.connections).toBe(0)
    } finally {
      await squatter.close()
    }
  })

  test('the callback on another host (same port and path) is CALLBACK_URI_MISMATCH; that host receives nothing', { tag: '@browser' }, async ({ flow, emulator }) => {
    const squatter = await startSquatter()
    try {
      const redirectUri = `http://localhost:${squatter.port}/OauthRedirect`
      registerRedirectUri(emulator, redirectUri)
      emulator.app.configure({ callbackUri: `http://127.0.0.1:${squatter.port}/OauthRedirect` })
      expect(await codeOf(flow.run({ redirectUri }))).toBe('CALLBACK_URI_MISMATCH')
      expect(tokenPosts(emulator)).toBe(0)
      expect(squatter.received()).toBe('')
    } finally {
      await squatter.close()
    }
  })

  test('the authorize URL the flow opened carries the S256 challenge of its verifier (a check of its own)', async ({ httpFlow: flow }) => {
    const on = await flow.run()
    expect(on.checks.find((c) => c.name === 'pkce')).toMatchObject({ status: 'pass', detail: expect.stringContaining('S256') })
    const off = await flow.run({ pkce: false })
    expect(off.checks.find((c) => c.name === 'pkce')?.status).toBe('skip')
  })
})

test.describe('the code exchange answer', () => {
  test('a tampered signature on an otherwise good answer is SIGNATURE_INVALID', async ({ httpFlow, emulator }) => {
    emulator.app.configure({ tamperSignature: 'authorization_code' })
    expect(await codeOf(httpFlow.run())).toBe('SIGNATURE_INVALID')
    expect(tokenPosts(emulator)).toBe(1)
  })

  test('an expires_in field is a warning, not an error: the tokens are good, the check says what it means', async ({ httpFlow, emulator }) => {
    // Salesforce's token answer has no expires_in; the access token lives as long as the org's session
    // timeout (Salesforce Help, "OAuth 2.0 Web Server Flow for Web App Integration": the response fields
    // list no expires_in). Its presence means the server is not Salesforce or changed, which the user
    // should see; the tokens themselves are still valid (RFC 6749 §5.1 allows the field), so no error.
    emulator.app.configure({ sendExpiresIn: 'authorization_code' })
    const result = await httpFlow.run()
    expect(result.tokens.refreshToken).toMatch(/^5Aep861/)
    expect(result.checks.find((c) => c.name === 'expires_in')).toMatchObject({ status: 'warn' })
    expect(result.checks.filter((c) => c.status === 'warn').map((c) => c.name)).toEqual(['expires_in'])
  })
})

test.describe('the refresh', () => {
  test('a 503 with Retry-After on the refresh grant: SERVER_UNAVAILABLE after exactly one POST (never re-sent)', async ({ httpFlow, emulator }) => {
    const file = await savedFile(httpFlow)
    const before = tokenPosts(emulator)
    // Once: a second POST would succeed, so only a refresh that is never re-sent fails here.
    emulator.app.configure({ refreshUnavailable: 'once' })
    expect(await codeOf(refreshFile(file, httpFlow.target))).toBe('SERVER_UNAVAILABLE')
    expect(tokenPosts(emulator) - before).toBe(1)
    // The token was not burnt: the next refresh works.
    expect((await refreshFile(file, httpFlow.target)).tokens.accessToken).toMatch(/^00D/)
  })

  test('a rotated answer with a bad signature: SIGNATURE_INVALID, and the new refresh token is on disk anyway', async ({ httpFlow, emulator }) => {
    emulator.app.configure({ rotation: true })
    const file = await savedFile(httpFlow)
    const old = (await readTokenFile(file)).refreshToken
    emulator.app.configure({ tamperSignature: 'refresh_token' })
    expect(await codeOf(refreshFile(file, httpFlow.target))).toBe('SIGNATURE_INVALID')
    const saved = (await readTokenFile(file)).refreshToken
    expect(saved).toMatch(/^5Aep861/)
    expect(saved).not.toBe(old)
    // The server rotated: only the saved token works, and reusing the old one would revoke the family.
    emulator.app.configure({ tamperSignature: 'none' })
    const next = await refreshFile(file, httpFlow.target)
    expect(next.rotated).toBe(true)
  })

  test('a rotated answer without instance_url: RESPONSE_FIELD_MISSING, and the new refresh token is on disk anyway', async ({ httpFlow, emulator }) => {
    emulator.app.configure({ rotation: true })
    const file = await savedFile(httpFlow)
    const old = (await readTokenFile(file)).refreshToken
    emulator.app.configure({ dropInstanceUrl: 'refresh_token' })
    expect(await codeOf(refreshFile(file, httpFlow.target))).toBe('RESPONSE_FIELD_MISSING')
    expect((await readTokenFile(file)).refreshToken).not.toBe(old)
    emulator.app.configure({ dropInstanceUrl: 'none' })
    expect((await refreshFile(file, httpFlow.target)).rotated).toBe(true)
  })

  test('a token file saved from another login URL than the target is refused before anything is sent', async ({ httpFlow, emulator }) => {
    const file = await savedFile(httpFlow)
    const before = tokenPosts(emulator)
    const elsewhere = emulator.url.replace('127.0.0.1', 'localhost')
    expect(await codeOf(refreshFile(file, httpFlow.target, elsewhere))).toBe('TOKEN_FILE_HOST_MISMATCH')
    expect(tokenPosts(emulator) - before).toBe(0)
  })
})
