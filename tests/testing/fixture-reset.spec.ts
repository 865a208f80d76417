/**
 * The published `salesforceEmulator` fixture (sf-oauth-harness/test) starts each test from the seeded
 * state: what one test leaves behind (issued tokens, the login session, switches, the clock) is gone in
 * the next, as with this repo's own emulator fixture. In process, no browser: a person over HTTP.
 */
import { createOperationContext, introspect, refresh, type OwnedOperationContext } from '../../src/index.js'
import { redactor } from '../../src/redact.js'
import { expect, test, type SalesforceEmulator } from '../../src/testing/index.js'

// One worker, in order: the second test looks for what the first left.
test.describe.configure({ mode: 'serial' })

/** What the first test obtained, for the second. */
const left: { accessToken?: string; refreshToken?: string; cookie?: string } = {}

function authorizeUrl(em: SalesforceEmulator): string {
  const u = new URL(`${em.url}/services/oauth2/authorize`)
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: em.clientId, redirect_uri: em.redirectUris[0] ?? '', scope: 'api refresh_token', state: 'st' })) u.searchParams.set(k, v)
  return u.toString()
}

/** Where the authorize endpoint sends a browser holding `cookie`: the login page (no session) or on to consent. */
async function authorizeWith(em: SalesforceEmulator, cookie: string): Promise<URL> {
  const res = await fetch(authorizeUrl(em), { redirect: 'manual', headers: { cookie } })
  return new URL(res.headers.get('location') ?? '', em.url)
}

/** Log in and Allow over HTTP, then exchange the code: the token answer, and the session cookie. */
async function issueTokens(em: SalesforceEmulator): Promise<{ accessToken: string; refreshToken: string; cookie: string }> {
  const startURL = (await authorizeWith(em, '')).searchParams.get('startURL') ?? ''
  const login = await fetch(`${em.url}/`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: em.username, pw: em.password, startURL }) })
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const consentUrl = new URL(login.headers.get('location') ?? '', em.url)
  const decided = await fetch(consentUrl.origin + consentUrl.pathname, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body: new URLSearchParams({ source: consentUrl.searchParams.get('source') ?? '', oaapprove: ' Allow ' }) })
  const code = new URL(decided.headers.get('location') ?? '').searchParams.get('code') ?? ''
  const res = await fetch(`${em.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: em.clientId, client_secret: em.clientSecret, redirect_uri: em.redirectUris[0] ?? '' }) })
  const body = (await res.json()) as { access_token: string; refresh_token: string }
  for (const v of [code, cookie, body.access_token, body.refresh_token]) redactor.add(v)
  return { accessToken: body.access_token, refreshToken: body.refresh_token, cookie }
}

async function withContext<T>(fn: (ctx: OwnedOperationContext) => Promise<T>): Promise<T> {
  const ctx = createOperationContext({ timeoutMs: 5_000 })
  try {
    return await fn(ctx)
  } finally {
    await ctx.close()
  }
}

const codeOf = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (e as { code?: string }).code ?? String(e))

test('a test issues tokens, holds a session, flips a switch and moves the clock', async ({ salesforceEmulator: em }) => {
  Object.assign(left, await issueTokens(em))
  const client = { loginUrl: em.url, clientId: em.clientId, clientSecret: em.clientSecret }
  await withContext(async (ctx) => {
    await introspect(ctx, client, left.accessToken ?? '')
    const refreshed = await refresh(ctx, client, left.refreshToken ?? '')
    expect(refreshed.tokens.accessToken).toMatch(/^00D/)
  })
  // The session holds: authorize goes on to consent, not to the login page.
  expect((await authorizeWith(em, left.cookie ?? '')).searchParams.has('startURL')).toBe(false)
  em.configure({ loginMode: 'two-step' })
  em.clock.advance(3_600_000)
})

test('the next test finds none of it: tokens unknown, no session, default switches, real time', async ({ salesforceEmulator: em }) => {
  expect(left.refreshToken).toBeDefined()
  const client = { loginUrl: em.url, clientId: em.clientId, clientSecret: em.clientSecret }
  await withContext(async (ctx) => {
    expect(await codeOf(refresh(ctx, client, left.refreshToken ?? ''))).toBe('TOKEN_REFRESH_TOKEN_EXPIRED')
    expect(await codeOf(introspect(ctx, client, left.accessToken ?? ''))).toBe('TOKEN_INACTIVE')
  })
  expect((await authorizeWith(em, left.cookie ?? '')).searchParams.has('startURL')).toBe(true)
  expect(Math.abs(em.clock.now() - Date.now())).toBeLessThan(60_000)
  // The seeded user still logs in (the reset kept the seed), with the default one-page login.
  const again = await issueTokens(em)
  expect(again.refreshToken).not.toBe(left.refreshToken)
})
