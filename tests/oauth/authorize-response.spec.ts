/** processAuthorizeResponse: one reading of the authorize answer for the browser, doctor and parseCallback. */
import assert from 'node:assert/strict'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import fc from 'fast-check'
import { AuthorizationError } from '../../src/errors.js'
import { processAuthorizeProbe } from '../../src/oauth/authorize-probe.js'
import { authorizeRefusalError, isErrorPage, processAuthorizeResponse, type AuthorizeRefusal } from '../../src/oauth/authorize-response.js'
import { parseCallback } from '../../src/oauth/callback.js'
import { authorizeErrorMeaning } from '../../src/oauth/error-codes.js'

const CB = 'http://localhost:1717/OauthRedirect'
const LOGIN = 'https://login.salesforce.com'
const ERROR_PAGE = `${LOGIN}/setup/secur/RemoteAccessErrorPage.apexp`

test('a URL: the callback with a code, an error redirect, the error page, the login page, anything else', () => {
  expect(processAuthorizeResponse({ from: 'url', url: `${CB}?code=aPrxabc%3D%3D&state=s1` }, CB)).toEqual({ kind: 'callback', url: `${CB}?code=aPrxabc%3D%3D&state=s1`, code: 'aPrxabc==', state: 's1' })
  expect(processAuthorizeResponse({ from: 'url', url: `${CB}?error=access_denied&error_description=end-user+denied+authorization&state=s1` }, CB))
    .toMatchObject({ kind: 'redirect-error', error: 'access_denied', description: 'end-user denied authorization', state: 's1' })
  expect(processAuthorizeResponse({ from: 'url', url: `${ERROR_PAGE}?error=invalid_scope&error_description=the+requested+scope+is+not+allowed` }, CB))
    .toMatchObject({ kind: 'error-page', error: 'invalid_scope', description: 'the requested scope is not allowed', state: undefined })
  expect(processAuthorizeResponse({ from: 'url', url: `${LOGIN}/?ec=302&startURL=%2Fsetup` }, CB)).toMatchObject({ kind: 'login-page' })
  expect(processAuthorizeResponse({ from: 'url', url: `${LOGIN}/home` }, CB)).toEqual({ kind: 'unexpected', status: undefined, location: `${LOGIN}/home` })
  expect(processAuthorizeResponse({ from: 'url', url: 'not a url' }, CB)).toMatchObject({ kind: 'unexpected' })
  // Another port, path or host is not the callback, whatever its query says.
  for (const other of ['http://localhost:1718/OauthRedirect', 'http://127.0.0.1:1717/OauthRedirect', `${CB}/x`]) {
    expect(processAuthorizeResponse({ from: 'url', url: `${other}?code=x&state=s` }, CB).kind).toBe('unexpected')
  }
})

test('the error page without an error in its URL: read from its text, else the generic approval error', () => {
  const page = (pageText?: string) => processAuthorizeResponse({ from: 'url', url: ERROR_PAGE, pageText }, CB)
  expect(page('OAuth Error\nWe can\'t authorize you because of an OAuth error. For more information, contact your Salesforce administrator.\nOAUTH_APP_BLOCKED : this app is blocked by admin'))
    .toMatchObject({ kind: 'error-page', error: 'OAUTH_APP_BLOCKED', description: 'this app is blocked by admin' })
  expect(page('1800 : There was a problem in setting up your remote access.')).toMatchObject({ error: '1800', description: 'There was a problem in setting up your remote access.' })
  expect(page('Something went wrong')).toMatchObject({ kind: 'error-page', error: 'OAUTH_APPROVAL_ERROR_GENERIC', description: undefined })
  expect(page()).toMatchObject({ kind: 'error-page', error: 'OAUTH_APPROVAL_ERROR_GENERIC' })
  // The URL wins over the text.
  expect(processAuthorizeResponse({ from: 'url', url: `${ERROR_PAGE}?error=invalid_client`, pageText: 'OAUTH_APP_BLOCKED : x' }, CB)).toMatchObject({ error: 'invalid_client' })
  expect(isErrorPage('https://acme.my.site.com/partners/setup/secur/RemoteAccessErrorPage.apexp?error=x')).toBe(true)
  expect(isErrorPage(`${LOGIN}/?startURL=%2Fsetup%2Fsecur%2FRemoteAccessErrorPage.apexp`)).toBe(false)
})

test('page text: the form-encoded refusal, an error code alone, or not a refusal', () => {
  expect(processAuthorizeResponse({ from: 'text', text: 'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration\n' }, CB))
    .toEqual({ kind: 'plain-error', error: 'redirect_uri_mismatch', description: 'redirect_uri must match configuration', location: undefined })
  expect(processAuthorizeResponse({ from: 'text', text: ' invalid_client_id ' }, CB)).toEqual({ kind: 'plain-error', error: 'invalid_client_id', description: undefined, location: undefined })
  for (const text of ['', 'Forbidden', 'Service Unavailable', '{"error":"x"}', 'error=']) {
    expect(processAuthorizeResponse({ from: 'text', text }, CB), text).toMatchObject({ kind: 'unexpected' })
  }
  // An HTTP answer: the bare code as text/plain too, but never an HTML page.
  const res = (status: number, body: string) => ({ status, headers: { 'content-type': 'text/plain' }, body, url: `${LOGIN}/services/oauth2/authorize` })
  expect(processAuthorizeProbe(res(400, 'invalid_client_id'), CB)).toMatchObject({ kind: 'plain-error', error: 'invalid_client_id' })
  expect(processAuthorizeProbe(res(400, '<pre>error=invalid_client_id</pre>'), CB)).toEqual({ kind: 'unexpected', status: 400, location: undefined })
  expect(processAuthorizeProbe(res(200, 'error=invalid_client_id'), CB)).toMatchObject({ kind: 'unexpected', status: 200 })
  // A redirect to the callback with a code cannot come before a login; an unresolvable Location is no crash.
  expect(processAuthorizeProbe({ ...res(302, ''), headers: { location: `${CB}?code=x&state=s` } }, CB)).toEqual({ kind: 'unexpected', status: 302, location: `${CB}?code=x&state=s` })
  expect(processAuthorizeProbe({ ...res(302, ''), headers: { location: 'http://[::1' } }, CB)).toEqual({ kind: 'unexpected', status: 302, location: 'http://[::1' })
})

/** Any C0 control character (ESC, BEL, a newline): what a terminal would act on. */
const hasControl = (s: string) => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)).some((c) => c < 0x20)

function thrown(fn: () => unknown): AuthorizationError {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(AuthorizationError)
    return err as AuthorizationError
  }
  throw new Error('nothing was thrown')
}

/** The three shapes of one refusal, as each of the three readers sees it. */
function shapes(error: string, description: string | undefined) {
  const q = new URLSearchParams({ error, ...(description === undefined ? {} : { error_description: description }) })
  return {
    redirect: processAuthorizeResponse({ from: 'url', url: `${CB}?${q.toString()}&state=st` }, CB),
    page: processAuthorizeResponse({ from: 'url', url: `${ERROR_PAGE}?${q.toString()}` }, CB),
    text: processAuthorizeResponse({ from: 'text', text: q.toString() }, CB),
    probe: processAuthorizeProbe({ status: 400, headers: { 'content-type': 'text/plain' }, body: q.toString(), url: `${LOGIN}/services/oauth2/authorize` }, CB),
  }
}

test('one refusal read in any of its shapes gives the same error, description and code', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^[\w.-]{1,40}$/), fc.option(fc.string({ maxLength: 80 }), { nil: undefined }), (error, description) => {
      const s = shapes(error, description)
      // node:assert inside the property: each of Playwright's expect() calls is a reported step (~0.7 ms).
      for (const [shape, a] of Object.entries(s)) {
        const got = a as { error?: string; description?: string }
        assert.equal(got.error, error, shape)
        assert.equal(got.description, description, shape)
      }
      const codes = [s.redirect, s.page, s.text].map((a) => authorizeRefusalError(a as AuthorizeRefusal).code)
      assert.deepEqual(new Set(codes), new Set([authorizeErrorMeaning(error, description).code]))
    }),
    { numRuns: 500 },
  )
})

test('every error code of a known refusal is the same from parseCallback, the error page and plain text', () => {
  const known: [string, string | undefined, string][] = [
    ['access_denied', 'end-user denied authorization', 'AUTHORIZE_ACCESS_DENIED'],
    ['invalid_client_id', 'client identifier invalid', 'AUTHORIZE_INVALID_CLIENT_ID'],
    ['redirect_uri_mismatch', 'redirect_uri must match configuration', 'AUTHORIZE_REDIRECT_URI_MISMATCH'],
    ['immediate_unsuccessful', undefined, 'AUTHORIZE_IMMEDIATE_UNSUCCESSFUL'],
    ['OAUTH_APP_BLOCKED', 'this app is blocked by admin', 'AUTHORIZE_APP_BLOCKED'],
    ['invalid_scope', 'the requested scope is not allowed', 'AUTHORIZE_INVALID_SCOPE'],
    ['invalid_client', 'app must be installed into org', 'AUTHORIZE_APP_NOT_INSTALLED'],
    ['invalid_client', undefined, 'AUTHORIZE_INVALID_CLIENT'],
    ['OAUTH_APPROVAL_ERROR_GENERIC', 'An unexpected error has occurred during authentication.', 'AUTHORIZE_APPROVAL_ERROR'],
    ['unsupported_response_type', undefined, 'AUTHORIZE_UNSUPPORTED_RESPONSE_TYPE'],
    ['invalid_request', undefined, 'AUTHORIZE_INVALID_REQUEST'],
    ['inactive_user', undefined, 'AUTHORIZE_INACTIVE_USER'],
    ['inactive_org', undefined, 'AUTHORIZE_INACTIVE_ORG'],
    ['rate_limit_exceeded', undefined, 'AUTHORIZE_RATE_LIMITED'],
  ]
  for (const [error, description, code] of known) {
    const s = shapes(error, description)
    expect(thrown(() => parseCallback(s.redirect.kind === 'redirect-error' ? s.redirect.location ?? '' : '', { redirectUri: CB, state: 'st' })).code, error).toBe(code)
    expect(authorizeRefusalError(s.page as AuthorizeRefusal).code, error).toBe(code)
    expect(authorizeRefusalError(s.text as AuthorizeRefusal).code, error).toBe(code)
  }
})

test('the refusal error: one clean line per server word, the message per shape, a cause without page text', () => {
  const hostile = 'bad\u001b]8;;http://evil\u0007 link\nforged line'
  const e = authorizeRefusalError({ kind: 'error-page', error: 'OAUTH_APP_BLOCKED', description: hostile, location: undefined })
  expect(e.code).toBe('AUTHORIZE_APP_BLOCKED')
  expect(e.message).toMatch(/^Salesforce showed its OAuth error page: OAUTH_APP_BLOCKED \(.*\): an admin blocked this app/)
  expect(hasControl(e.message)).toBe(false)
  expect(e.cause).toEqual({ page: 'RemoteAccessErrorPage.apexp' })
  const p = authorizeRefusalError({ kind: 'plain-error', error: 'invalid_client_id', description: undefined, location: undefined })
  expect([p.message.startsWith('Salesforce refused the authorize request: invalid_client_id: '), p.cause]).toEqual([true, { page: 'plain text' }])
  const r = authorizeRefusalError({ kind: 'redirect-error', error: 'access_denied', description: 'end-user denied authorization', state: 's', location: undefined })
  expect([r.message.startsWith('Salesforce answered access_denied (end-user denied authorization): '), r.cause]).toEqual([true, { error: 'access_denied', error_description: 'end-user denied authorization' }])
  // The callback's error text is server text too: shown clean.
  const c = thrown(() => parseCallback(`${CB}?error=access_denied&error_description=${encodeURIComponent(hostile)}&state=s`, { redirectUri: CB, state: 's' }))
  expect(c.code).toBe('AUTHORIZE_ACCESS_DENIED')
  expect(hasControl(c.message)).toBe(false)
  expect(c.errorDescription).toBe(hostile)
})
