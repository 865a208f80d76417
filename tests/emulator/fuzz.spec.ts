/**
 * Issue 11, defect 3: no input can crash the emulator. Thousands of generated requests (fast-check) over
 * a raw socket to a real emulator on 127.0.0.1: every route, odd methods and paths, bad percent-escapes,
 * garbage Host/Cookie/Content-Type/Authorization/Origin headers, form, JSON, binary and oversized bodies.
 * Client garbage is never a 5xx, the emulator logs no internal error, and it still answers afterwards.
 * In the heavy project (about a minute on two busy cores); hardening.spec.ts has the known crashers.
 */
import fc from 'fast-check'
import { startEmulator } from '../../src/emulator/index.js'
import { expect, test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'
import { rawRequest } from '../support/raw-http.js'

const PATHS = [
  '/services/oauth2/authorize', '/services/oauth2/token', '/services/oauth2/revoke', '/services/oauth2/introspect', '/services/oauth2/userinfo',
  '/.well-known/openid-configuration', '/id/keys', '/', '/setup/secur/RemoteAccessAuthorizationPage.apexp', '/setup/secur/RemoteAccessErrorPage.apexp',
  '/_ui/identity/verification/method/EmailVerificationFinishUi/e', '/_ui/identity/verification/method/TotpVerificationUi/e', '/_ui/identity/verification/method/SmsVerificationFinishUi/e',
  '/id/00D5g00000FAKEDEAQ/0055g00000FAKEDAAA', '/id/00Dzz/005zz', '/services/data/v62.0/', '/services/data/',
  '/__emulator/state', '/__emulator/mailbox', '/__emulator/sms', '/__emulator/user', '/__emulator/configure', '/__emulator/clock', '/__emulator/nope',
  '//evil.example/x', '/\\evil', '/%zz', '/%', '/..%2f..%2fetc', '/a/../b', '/%00', '/;x', '/id/', '/services/oauth2/',
]
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'FOO']
const KEYS = ['client_id', 'client_secret', 'redirect_uri', 'response_type', 'grant_type', 'code', 'code_verifier', 'code_challenge', 'code_challenge_method', 'refresh_token', 'token', 'state', 'scope', 'prompt', 'immediate', 'startURL', 'retURL', 'source', 'username', 'pw', 'oaapprove', 'oadeny', 'emc', 'tc', 'remember', 'error', 'error_description', 'oauth_token']
const ESCAPES = ['%', '%zz', '%E0%A4%A', '%00', '%0d%0a', '%C0%AF', '+', '&&', '==', '\\', '//evil.example', '/\t/evil', 'ü', '\u{1F600}']

test('fuzz: thousands of generated requests, 0 crashes, 0 5xx, 0 internal errors', async () => {
  test.setTimeout(600_000)
  const internal: string[] = []
  const em = await startEmulator({ onError: (line) => internal.push(line) })
  try {
    const seed = em.app.seed
    // Real values in the mix, so the generator reaches past the first checks of each route.
    const first = await postToken(em, { grant_type: 'authorization_code', code: codeFrom(await authorizeOverHttp(em)), redirect_uri: REDIRECT, client_id: seed.app.clientId, client_secret: seed.app.clientSecret })
    const values = [seed.app.clientId, seed.app.clientSecret, REDIRECT, 'code', 'authorization_code', 'refresh_token', first.body.refresh_token ?? '', first.body.access_token ?? '', seed.user.username, seed.user.password, 'api refresh_token', 'S256', 'plain', 'login consent', 'true', '/setup/secur/RemoteAccessAuthorizationPage.apexp?source=x']
    const host = new URL(em.url).host
    const text = fc.oneof(fc.constantFrom(...values), fc.constantFrom(...ESCAPES), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }))
    const pairs = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), text), { maxLength: 6 })
    const encode = (ps: [string, string][], raw: boolean) => ps.map(([k, v]) => (raw ? `${k}=${v}` : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&')
    // Header values as a client could put them on the wire (no CR/LF: that would be another request).
    const headerText = fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ''))
    const request = fc.record({
      method: fc.constantFrom(...METHODS),
      path: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PATHS) }, fc.webPath(), fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((s) => `/${s.replace(/[\s]/g, '')}`)),
      query: pairs.chain((ps) => fc.boolean().map((raw) => encode(ps, raw))),
      host: fc.oneof({ weight: 6, arbitrary: fc.constant(host) }, fc.constantFrom('localhost', 'evil.example', '[', 'a b', 'x:99999', '[::1]:1', '', `${host}/x`), headerText),
      cookie: fc.option(fc.oneof(fc.constantFrom('sid=%E0%A4%A', 'vid=%', 'sfdc_rd=%zz', 'sid=; vid=;;', '=x; =%'), headerText), { nil: undefined }),
      contentType: fc.option(fc.oneof(fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'application/json; charset=utf-8', 'text/plain', 'multipart/form-data; boundary=x', 'application/octet-stream'), headerText), { nil: undefined }),
      authorization: fc.option(fc.oneof(fc.constantFrom(`Basic ${Buffer.from(`${seed.app.clientId}:${seed.app.clientSecret}`).toString('base64')}`, `Basic ${Buffer.from('%E0%A4%A:%').toString('base64')}`, 'Basic !!!', 'Basic', 'Bearer', `Bearer ${first.body.access_token ?? ''}`), headerText.map((s) => `Bearer ${s}`), headerText.map((s) => `Basic ${Buffer.from(s).toString('base64')}`)), { nil: undefined }),
      origin: fc.option(fc.constantFrom('http://evil.example', 'null', em.url), { nil: undefined }),
      body: fc.option(
        fc.oneof(
          { weight: 4, arbitrary: pairs.chain((ps) => fc.boolean().map((raw) => encode(ps, raw))) },
          fc.json({ maxDepth: 2 }),
          fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
          fc.constant(`grant_type=refresh_token&x=${'a'.repeat(70 * 1024)}`),
        ),
        { nil: undefined },
      ),
    })
    let sent = 0
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: [string, string][] = [['Host', r.host]]
        if (r.cookie !== undefined) headers.push(['Cookie', r.cookie])
        if (r.contentType !== undefined) headers.push(['Content-Type', r.contentType])
        if (r.authorization !== undefined) headers.push(['Authorization', r.authorization])
        if (r.origin !== undefined) headers.push(['Origin', r.origin])
        const answer = await rawRequest(em.url, { method: r.method, target: `${r.path}${r.query ? `?${r.query}` : ''}`, headers, ...(r.body === undefined ? {} : { body: r.body }) })
        sent++
        // Never a 5xx, and never a dropped connection without an answer.
        expect(answer.status, answer.head.split('\r\n')[0]).toBeDefined()
        expect(answer.status ?? 0).toBeLessThan(500)
        expect(internal).toEqual([])
      }),
      { numRuns: 2000 },
    )
    expect(sent).toBe(2000)
    // Still up, still right.
    const health = await fetch(`${em.url}/.well-known/openid-configuration`)
    expect(health.status).toBe(200)
    const again = await postToken(em, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token ?? '', client_id: seed.app.clientId, client_secret: seed.app.clientSecret })
    expect([200, 400]).toContain(again.status)
  } finally {
    await em.close()
  }
})
