/**
 * Property-based: parseCallback on arbitrary redirect URLs. It returns a code only for a URL on the
 * redirect URI carrying this flow's state, and that code is the one Salesforce put there; anything else is
 * a typed error with a known code.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { ERROR_CODES, ERRORS } from '../../src/error-registry.js'
import { matchesRedirectUri, parseCallback } from '../../src/oauth/callback.js'
import { SEED, typedOutcome } from '../support/properties.js'

// The authorize codes are a closed list (src/oauth/error-codes.ts): any other error is AUTHORIZE_ERROR_UNKNOWN.
const KNOWN = ['CALLBACK_INVALID', 'CALLBACK_URI_MISMATCH', ...ERROR_CODES.filter((c) => ERRORS[c].class === 'AuthorizationError')]
const REDIRECTS = ['http://localhost:1717/OauthRedirect', 'https://app.example.com/oauth/callback', 'http://127.0.0.1:8080/cb', 'myapp://x/cb']

const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('', '+', '%', '%zz', '&', '=', '#', '__proto__', 'constructor', 'aPrx.abc%3D%3D'))
const param = fc.tuple(fc.constantFrom('code', 'state', 'error', 'error_description', 'code', '__proto__', 'x'), text)

/** A URL: the redirect URI (or a near miss), then any query made of the parameters above, or raw text. */
const callbackUrl = fc.tuple(
  fc.constantFrom(...REDIRECTS, 'http://localhost:1717/OauthRedirect/', 'http://localhost:1718/OauthRedirect', 'https://localhost:1717/OauthRedirect', 'http://evil.example/OauthRedirect', 'evil://x/cb', 'http://localhost:1717/oauthredirect', 'not a url', ''),
  fc.array(param, { maxLength: 6 }),
  fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
).map(([base, params, raw]) => (raw !== undefined && params.length === 0 ? `${base}?${raw}` : `${base}?${new URLSearchParams(params).toString()}`))

test('any callback URL: a ValidatedCallback only with the right state and a code, else a known typed error', () => {
  fc.assert(fc.property(callbackUrl, fc.constantFrom(...REDIRECTS), fc.oneof(text, fc.constant('')), (url, redirectUri, state) => {
    const out = typedOutcome(() => parseCallback(url, { redirectUri, state }), KNOWN)
    if (!out.ok) return
    const q = new URL(url).searchParams
    assert.ok(matchesRedirectUri(url, redirectUri))
    assert.equal(q.get('state'), state)
    assert.equal(q.get('error'), null)
    assert.equal(out.value.code, q.get('code'))
    assert.notEqual(out.value.code, '')
  }), { seed: SEED, numRuns: 5000 })
})

test('a well-formed callback for the right state parses to the same code, however it is encoded', () => {
  const value = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
  fc.assert(fc.property(fc.constantFrom(...REDIRECTS.slice(0, 3)), value, value, fc.boolean(), (redirectUri, code, state, codeFirst) => {
    const q = codeFirst ? new URLSearchParams({ code, state }) : new URLSearchParams({ state, code })
    const cb = parseCallback(`${redirectUri}?${q.toString()}`, { redirectUri, state })
    assert.equal(cb.code, code)
    assert.equal(cb.redirectUri, redirectUri)
  }), { seed: SEED, numRuns: 2000 })
})

test('an answer for another state never yields a code, even when it carries one', () => {
  fc.assert(fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (code, sent, got) => {
    fc.pre(sent !== got)
    const out = typedOutcome(() => parseCallback(`${REDIRECTS[0]}?${new URLSearchParams({ code, state: got }).toString()}`, { redirectUri: REDIRECTS[0] ?? '', state: sent }), KNOWN)
    assert.ok(!out.ok && out.code === 'STATE_MISMATCH')
  }), { seed: SEED, numRuns: 1000 })
})

test('regression: a callback on another scheme is not on a custom-scheme redirect URI (origin is "null" for both)', () => {
  expect(matchesRedirectUri('evil://attacker/cb?code=x&state=s', 'myapp://x/cb')).toBe(false)
  expect(matchesRedirectUri('myapp://other/cb', 'myapp://x/cb')).toBe(false)
  expect(matchesRedirectUri('myapp://x/cb?code=1', 'myapp://x/cb')).toBe(true)
  const out = typedOutcome(() => parseCallback('evil://attacker/cb?code=x&state=s', { redirectUri: 'myapp://x/cb', state: 's' }), KNOWN)
  expect(out.ok ? 'accepted' : out.code).toBe('CALLBACK_URI_MISMATCH')
})
