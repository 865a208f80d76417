import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { computeSignature } from '../../src/oauth/signature.js'
import { processTokenResponse } from '../../src/oauth/token-response.js'
import type { RawResponse } from '../../src/oauth/types.js'
import { redactor } from '../../src/redact.js'

const SECRET = 'fake-consumer-secret-for-tests'
const ID = 'https://login.salesforce.com/id/00D5g000004FAKEEAQ/0055g00000FAKE1AAA'
const ISSUED = String(Date.now())

function body(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    access_token: '00D5g000004FAKE!AQ0AQFakeAccessTokenFakeAccessTokenFakeAccessTokenFake',
    refresh_token: '5Aep861FakeRefreshTokenFakeRefreshTokenFakeRefreshTokenFakeRefreshToken',
    signature: computeSignature(SECRET, ID, ISSUED),
    scope: 'refresh_token api',
    instance_url: 'https://fake-dev-ed.my.salesforce.com',
    id: ID,
    token_type: 'Bearer',
    issued_at: ISSUED,
    ...over,
  }
}

function res(data: unknown, status = 200, contentType = 'application/json;charset=UTF-8'): RawResponse {
  return { status, headers: { 'content-type': contentType }, body: typeof data === 'string' ? data : JSON.stringify(data), url: 'https://login.salesforce.com/services/oauth2/token' }
}

/** The error `fn` throws; fails the test when it throws nothing. */
function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn()
  } catch (err) {
    return err as Error & { code?: string }
  }
  throw new Error('expected an error, and nothing was thrown')
}

const expectations = { clientSecret: SECRET, expectRefreshToken: true, grant: 'authorization_code' as const }

function codeOf(r: RawResponse, exp = expectations): string | undefined {
  try {
    processTokenResponse(r, exp)
  } catch (err) {
    return (err as { code?: string }).code
  }
  return undefined
}

test('accepts a Salesforce-shaped answer and reports each check', () => {
  const { tokens, checks } = processTokenResponse(res(body()), expectations)
  expect(tokens.orgId).toBe('00D5g000004FAKEEAQ')
  expect(tokens.userId).toBe('0055g00000FAKE1AAA')
  expect(tokens.issuedAt).toBe(ISSUED)
  expect(checks.find((c) => c.name === 'signature')?.status).toBe('pass')
  expect(checks.find((c) => c.name === 'expires_in')?.status).toBe('pass')
  expect(checks.every((c) => c.status === 'pass')).toBe(true)
})

test('a signature made with another secret, or over another id, is refused', () => {
  expect(codeOf(res(body({ signature: computeSignature('other', ID, ISSUED) })))).toBe('SIGNATURE_INVALID')
  expect(codeOf(res(body({ id: ID.replace('FAKE1', 'FAKE2') })))).toBe('SIGNATURE_INVALID')
  expect(codeOf(res(body({ signature: 'not base64' })))).toBe('SIGNATURE_INVALID')
})

test('each required field is checked for presence and type', () => {
  for (const f of ['access_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at']) {
    const b = Object.fromEntries(Object.entries(body()).filter(([k]) => k !== f))
    expect(codeOf(res(b)), f).toBe('RESPONSE_FIELD_MISSING')
  }
  expect(codeOf(res(body({ issued_at: Number(ISSUED) })))).toBe('RESPONSE_FIELD_TYPE')
  expect(codeOf(res(body({ access_token: '' })))).toBe('RESPONSE_FIELD_EMPTY')
})

test('Salesforce specifics: issued_at in ms, Bearer, identity URL, https instance', () => {
  expect(codeOf(res(body({ issued_at: ISSUED.slice(0, 10) })))).toBe('RESPONSE_FIELD_INVALID')
  expect(codeOf(res(body({ token_type: 'bearer' })))).toBe('RESPONSE_FIELD_INVALID')
  expect(codeOf(res(body({ id: 'https://login.salesforce.com/users/1' })))).toBe('RESPONSE_FIELD_INVALID')
  expect(codeOf(res(body({ instance_url: 'http://na1.salesforce.com' })))).toBe('RESPONSE_FIELD_INVALID')
})

test('a missing refresh_token says which scope is missing', () => {
  const b = body()
  delete b.refresh_token
  let message = ''
  try {
    processTokenResponse(res(b), expectations)
  } catch (err) {
    message = (err as Error).message
    expect((err as { code?: string }).code).toBe('REFRESH_TOKEN_MISSING')
  }
  expect(message).toContain('refresh_token/offline_access')
  expect(processTokenResponse(res(b), { ...expectations, grant: 'refresh_token', expectRefreshToken: false }).tokens.refreshToken).toBeUndefined()
})

test('OAuth error bodies become their own codes', () => {
  const err = (error: string, d: string) => res({ error, error_description: d }, 400)
  expect(codeOf(err('invalid_grant', 'expired authorization code'))).toBe('TOKEN_CODE_EXPIRED')
  expect(codeOf(err('invalid_grant', 'invalid code verifier'))).toBe('TOKEN_INVALID_CODE_VERIFIER')
  expect(codeOf(err('invalid_grant', 'authentication failure'))).toBe('TOKEN_AUTHENTICATION_FAILURE')
  expect(codeOf(err('invalid_client', 'invalid client credentials'))).toBe('TOKEN_INVALID_CLIENT_CREDENTIALS')
  expect(codeOf(err('invalid_client_id', 'client identifier invalid'))).toBe('TOKEN_INVALID_CLIENT_ID')
  expect(codeOf(err('unsupported_grant_type', 'grant type not supported'))).toBe('TOKEN_UNSUPPORTED_GRANT_TYPE')
  expect(codeOf(err('redirect_uri_mismatch', 'redirect_uri must match configuration'))).toBe('TOKEN_REDIRECT_URI_MISMATCH')
  // A closed list: an error Salesforce adds later gets the fallback code, never one built from its text.
  expect(codeOf(err('something_new', 'x'))).toBe('TOKEN_ERROR_UNKNOWN')
})

test('an OAuth error the harness does not list keeps the raw error in the message, the error field and the cause', () => {
  const e = thrown(() => processTokenResponse(res({ error: 'server_error', error_description: 'try again' }, 400), expectations)) as Error & { code?: string; error?: string; errorDescription?: string; exitCode?: number }
  expect(e).toMatchObject({ code: 'TOKEN_ERROR_UNKNOWN', error: 'server_error', errorDescription: 'try again', exitCode: 1 })
  expect(e.message).toContain('server_error (try again)')
  expect(JSON.stringify(e.cause)).toContain('server_error')
  // A code-shaped error is not turned into a code either.
  expect(codeOf(res({ error: 'TOKEN_CODE_EXPIRED' }, 400))).toBe('TOKEN_ERROR_UNKNOWN')
})

test('non-JSON, empty, truncated and odd answers are named precisely', () => {
  expect(codeOf(res('<html><body>Maintenance</body></html>', 200, 'text/html'))).toBe('RESPONSE_NOT_JSON')
  expect(codeOf(res('', 200))).toBe('RESPONSE_EMPTY')
  expect(codeOf(res(JSON.stringify(body()).slice(0, 40)))).toBe('RESPONSE_MALFORMED_JSON')
  expect(codeOf(res('[1,2]'))).toBe('RESPONSE_NOT_OBJECT')
  expect(codeOf(res('<html>down</html>', 503, 'text/html'))).toBe('SERVER_UNAVAILABLE')
  expect(codeOf(res('', 418, 'text/plain'))).toBe('HTTP_STATUS_UNEXPECTED')
  expect(codeOf({ ...res('', 302), headers: { location: 'https://login.salesforce.com/services/oauth2/token' } })).toBe('UNEXPECTED_REDIRECT')
})

test('error evidence is masked', () => {
  const b = body()
  delete b.signature
  const err = thrown(() => processTokenResponse(res(b), expectations))
  expect(err.code).toBe('RESPONSE_FIELD_MISSING')
  const cause = JSON.stringify(err.cause)
  expect(cause).not.toContain('FakeRefreshTokenFakeRefreshToken')
  expect(cause).not.toContain('FakeAccessTokenFakeAccessToken')
  expect(cause).toContain('chars)')
})

test('expires_in present: a warning, and the tokens are returned as they are (Salesforce never sends it)', () => {
  const { tokens, checks } = processTokenResponse(res(body({ expires_in: 7200 })), expectations)
  expect(tokens.accessToken).toBe(body().access_token)
  expect(checks.find((c) => c.name === 'expires_in')).toMatchObject({ status: 'warn', detail: expect.stringContaining('never sends') })
  expect(checks.filter((c) => c.status !== 'pass').map((c) => c.name)).toEqual(['expires_in'])
})

test('issued_at more than a day from the local clock: a warning naming the hours; a day exactly passes', () => {
  const at = (now: number) => processTokenResponse(res(body()), { ...expectations, now }).checks.find((c) => c.name === 'issued_at')
  expect(at(Number(ISSUED) + 25 * 3600_000)).toMatchObject({ status: 'warn', detail: expect.stringContaining('25 h from the local clock') })
  expect(at(Number(ISSUED) - 48 * 3600_000)).toMatchObject({ status: 'warn', detail: expect.stringContaining('48 h') })
  expect(at(Number(ISSUED) + 24 * 3600_000)?.status).toBe('pass')
})

test('an access token that is not a 00D…! session id (JWT-based tokens) is a warning, still accepted', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmYWtlIn0.ZmFrZS1zaWduYXR1cmUtZmFrZS1zaWduYXR1cmU'
  const { tokens, checks } = processTokenResponse(res(body({ access_token: jwt })), expectations)
  expect(tokens.accessToken).toBe(jwt)
  expect(checks.find((c) => c.name === 'access_token')).toMatchObject({ status: 'warn', detail: expect.stringContaining('JWT') })
  expect(processTokenResponse(res(body()), expectations).checks.find((c) => c.name === 'access_token')?.status).toBe('pass')
})

test('the process function writes no global: each token goes to the caller\'s sink as it is read, and masks its own evidence', () => {
  const before = redactor.size
  const sunk: string[] = []
  const ok = processTokenResponse(res(body({ id_token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmYWtlIn0.c2lnbmF0dXJlLWZha2U' })), expectations, { add: (v) => { if (v !== undefined) sunk.push(v) } })
  expect(sunk).toEqual([ok.tokens.accessToken, ok.tokens.refreshToken, ok.tokens.idToken])
  expect(redactor.size).toBe(before)
  // A failure after the tokens were read: they were handed over already, and the evidence holds them masked
  // (also where no pattern would know them: "echo" is no secret key, and the value no Salesforce shape).
  const late: string[] = []
  const odd = 'not-shaped-like-a-salesforce-token-at-all-0123456789'
  const err = thrown(() => processTokenResponse(res(body({ access_token: odd, echo: odd, token_type: 'MAC' })), expectations, { add: (v) => { if (v !== undefined) late.push(v) } }))
  expect(err.code).toBe('RESPONSE_FIELD_INVALID')
  expect(late).toContain(odd)
  expect(JSON.stringify(err.cause)).not.toContain(odd)
  expect(redactor.size).toBe(before)
})
