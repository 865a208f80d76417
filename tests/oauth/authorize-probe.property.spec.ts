/**
 * Property-based: classifyAuthorizeAnswer (doctor's reading of an authorize answer and of Salesforce's
 * error page) on arbitrary statuses, Location headers and bodies: always a classification, never a throw.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { expect, test } from '@playwright/test'
import { classifyAuthorizeAnswer, ERROR_PAGE_PATH } from '../../src/oauth/authorize-probe.js'
import type { RawResponse } from '../../src/oauth/types.js'
import { SEED } from '../support/properties.js'

const CB = 'http://localhost:1717/OauthRedirect'
const AUTHORIZE = 'https://login.salesforce.com/services/oauth2/authorize?response_type=code'

const query = fc.array(fc.tuple(fc.constantFrom('error', 'error_description', 'ec', 'startURL', 'state', '__proto__'), fc.string({ unit: 'binary', maxLength: 20 })), { maxLength: 4 })
  .map((ps) => new URLSearchParams(ps).toString())
const location = fc.oneof(
  fc.tuple(fc.constantFrom(CB, `${CB}Evil`, 'http://localhost:1718/OauthRedirect', ERROR_PAGE_PATH, `https://acme.my.salesforce.com${ERROR_PAGE_PATH}`, '/', 'https://login.salesforce.com/', '//evil.example/x', ''), query).map(([b, q]) => `${b}?${q}`),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('http://[', 'http://a b/', 'https://:443', 'http://%zz', '\u0000', 'javascript:alert(1)', 'http://[::1', '//[x]'),
  fc.webUrl({ withQueryParameters: true }),
)
const body = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), query, fc.constantFrom('error=invalid_client_id&error_description=client%20identifier%20invalid', 'error=%zz', 'error=a&error=b', '<html>error=x</html>', ''))
const answer = fc.record({
  status: fc.oneof(fc.constantFrom(302, 301, 303, 307, 400, 200, 500), fc.integer({ min: 0, max: 999 })),
  location: fc.option(location, { nil: undefined }),
  body,
}).map((a): RawResponse => ({ status: a.status, headers: a.location === undefined ? {} : { location: a.location }, body: a.body, url: AUTHORIZE }))

test('any authorize answer is classified, never thrown; a redirect-error is on the redirect URI', () => {
  fc.assert(fc.property(answer, fc.constantFrom(CB, 'https://app.example.com/cb', 'not a url'), (res, redirectUri) => {
    const p = classifyAuthorizeAnswer(res, redirectUri)
    assert.ok(['login-page', 'plain-error', 'redirect-error', 'error-page', 'unexpected'].includes(p.kind))
    if (p.kind === 'redirect-error') {
      const to = new URL(p.location ?? '')
      assert.equal(`${to.protocol}//${to.host}${to.pathname}`, new URL(redirectUri).href.replace(/\?.*$/, ''))
    }
    if (p.kind === 'error-page') assert.equal(new URL(p.location ?? '').pathname, ERROR_PAGE_PATH)
  }), { seed: SEED, numRuns: 5000 })
})

test('regression: a Location no URL parser accepts is "unexpected", not a TypeError in doctor', () => {
  for (const loc of ['http://[', 'http://a b/', 'http://[::1']) {
    expect(classifyAuthorizeAnswer({ status: 302, headers: { location: loc }, body: '', url: AUTHORIZE }, CB)).toEqual({ kind: 'unexpected', status: 302, location: loc })
  }
})

test('regression: a redirect to a path that merely starts like the redirect URI is not the app\'s error redirect', () => {
  const p = classifyAuthorizeAnswer({ status: 302, headers: { location: `${CB}Evil?error=access_denied` }, body: '', url: AUTHORIZE }, CB)
  expect(p.kind).toBe('unexpected')
})
