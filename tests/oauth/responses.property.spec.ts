/**
 * Property-based: the process functions of token, refresh, userinfo, introspect and revoke answers on
 * arbitrary status, headers, content types and bodies (truncated or huge JSON, wrong types, __proto__
 * keys). Each returns or throws a typed error with a known code; a valid generated answer is accepted.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { test } from '../support/scrub.js'
import { ERROR_CODES, ERRORS } from '../../src/error-registry.js'
import { processIntrospectResponse, processRevokeResponse, processUserinfoResponse } from '../../src/oauth/other-responses.js'
import { computeSignature } from '../../src/oauth/signature.js'
import { processTokenResponse } from '../../src/oauth/token-response.js'
import type { RawResponse } from '../../src/oauth/types.js'
import { SEED, typedOutcome } from '../support/properties.js'

const SECRET = 'props-spec-consumer-secret'
/** Codes mapped from the server's own `error` field: a closed list (src/oauth/error-codes.ts), TOKEN_ERROR_UNKNOWN for the rest. */
const DERIVED = ERROR_CODES.filter((c) => ERRORS[c].class === 'TokenEndpointError' && c.startsWith('TOKEN_'))
const SHAPE = ['HTTP_STATUS_UNEXPECTED', 'SERVER_UNAVAILABLE', 'UNEXPECTED_REDIRECT', 'RESPONSE_EMPTY', 'RESPONSE_NOT_JSON', 'RESPONSE_MALFORMED_JSON', 'RESPONSE_NOT_OBJECT', 'RESPONSE_FIELD_MISSING', 'RESPONSE_FIELD_TYPE', 'RESPONSE_FIELD_EMPTY', 'RESPONSE_FIELD_INVALID', ...DERIVED]
const TOKEN_KNOWN = [...SHAPE, 'REFRESH_TOKEN_MISSING', 'SIGNATURE_INVALID']

/**
 * A small pool of token values: processTokenResponse registers access/refresh/id tokens with the
 * process-wide redactor, so arbitrary strings would end up masking other specs' text in this worker.
 */
const TOKENS = ['00DPROPS00000000!PROPS.ACCESS.TOKEN.FOR.PROPERTY.SPEC.1', '5AepPROPS.REFRESH.TOKEN.FOR.PROPERTY.SPEC.2', 'PROPS-not-a-session-id-3', 'eyJPROPS.e30.PROPS4']
const tokenValue = fc.oneof(fc.constantFrom(...TOKENS), fc.constantFrom(null, 0, 1.5, true, [], {}, [TOKENS[0]], ''))

/** Any JSON-ish value, including keys that are traps for naive object handling. */
const trap = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'error', 'active')
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.dictionary(trap, fc.jsonValue({ maxDepth: 1 })))

const orgId = fc.stringMatching(/^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/)
const userId = fc.stringMatching(/^005[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/)
const host = fc.oneof(fc.domain(), fc.constantFrom('login.salesforce.com', 'acme.my.salesforce.com', '127.0.0.1:4567'))

/** A token answer Salesforce could send: signed with SECRET, with generated ids, hosts and times. */
const validAnswer = fc.record({
  org: orgId, user: userId, login: host, instance: host, scope: fc.constantFrom('api', 'api refresh_token', 'refresh_token api openid id'),
  issued: fc.integer({ min: 1_000_000_000_000, max: 9_999_999_999_999 }), access: fc.constantFrom(...TOKENS), refresh: fc.option(fc.constantFrom(...TOKENS), { nil: undefined }),
  idToken: fc.option(fc.constant(TOKENS[3] ?? ''), { nil: undefined }),
}).map((a) => {
  const scheme = (h: string) => (h.startsWith('127.0.0.1') ? 'http' : 'https')
  const id = `${scheme(a.login)}://${a.login}/id/${a.org}/${a.user}`
  const issuedAt = String(a.issued)
  return {
    meta: a,
    body: {
      access_token: a.access, ...(a.refresh === undefined ? {} : { refresh_token: a.refresh }), ...(a.idToken === undefined ? {} : { id_token: a.idToken }),
      signature: computeSignature(SECRET, id, issuedAt), scope: a.scope, instance_url: `${scheme(a.instance)}://${a.instance}`, id, token_type: 'Bearer', issued_at: issuedAt,
    },
  }
})

/** A valid answer with one field replaced, removed, or a trap key added. */
const mutatedAnswer = fc.tuple(validAnswer, fc.constantFrom('access_token', 'refresh_token', 'signature', 'scope', 'instance_url', 'id', 'token_type', 'issued_at', 'id_token', 'expires_in', '__proto__', 'constructor'), fc.option(anyValue, { nil: undefined }), tokenValue)
  .map(([a, key, v, token]) => {
    const body = { ...a.body }
    if (v === undefined) Reflect.deleteProperty(body, key)
    // Token fields only from the pool (see TOKENS); defineProperty so "__proto__" is an own key, as JSON.parse makes it.
    else Object.defineProperty(body, key, { value: key.endsWith('_token') ? token : v, enumerable: true, writable: true, configurable: true })
    return body
  })

const contentType = fc.oneof(
  fc.constantFrom('application/json;charset=UTF-8', 'application/json', 'APPLICATION/JSON', 'application/problem+json', 'text/html; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', '', 'application/jsonx'),
  fc.string({ maxLength: 30 }),
)

const body = fc.oneof(
  mutatedAnswer.map((b) => JSON.stringify(b)),
  validAnswer.map((a) => JSON.stringify(a.body)),
  // Truncated JSON: a valid answer cut anywhere.
  fc.tuple(validAnswer, fc.nat()).map(([a, n]) => { const s = JSON.stringify(a.body); return s.slice(0, n % s.length) }),
  // A huge answer: one valid object padded to a few hundred KB.
  fc.tuple(validAnswer, fc.integer({ min: 1, max: 400_000 })).map(([a, n]) => JSON.stringify({ ...a.body, pad: 'x'.repeat(n) })),
  anyValue.map((v) => JSON.stringify(v)),
  fc.record({ error: fc.oneof(fc.string(), fc.constantFrom('invalid_grant', 'invalid_client', 'invalid_token', '__proto__', 'constructor', '')), error_description: fc.option(fc.string(), { nil: undefined }) }).map((e) => JSON.stringify(e)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', ' ', 'Bad_OAuth_Token', '<!DOCTYPE html><html>Maintenance</html>', '{"active":true}', '{"active":"yes"}', '{"sub":"x"}', 'null', '[]', '{"__proto__":{"active":true}}'),
)

const headers = fc.tuple(contentType, fc.dictionary(fc.oneof(trap, fc.constantFrom('location', 'retry-after', 'www-authenticate')), fc.string({ maxLength: 40 }), { maxKeys: 3 }))
  .map(([ct, rest]) => Object.fromEntries([...Object.entries(rest), ...(ct === '' ? [] : [['content-type', ct]])]) as Record<string, string>)

/** Any integer status, mostly plausible ones. */
const status = fc.oneof(fc.constantFrom(200, 200, 200, 400, 401, 403, 404, 500, 502, 503, 302, 301, 204), fc.integer({ min: -1, max: 1000 }))

const response = fc.record({ status, headers, body }).map((r): RawResponse => ({ ...r, url: 'https://login.salesforce.com/services/oauth2/token' }))

test('token and refresh answers: anything a server sends is accepted as a token set or refused with a known code', () => {
  fc.assert(fc.property(response, fc.boolean(), fc.constantFrom<'authorization_code' | 'refresh_token'>('authorization_code', 'refresh_token'), fc.option(fc.constant(SECRET), { nil: undefined }), (res, expectRefreshToken, grant, clientSecret) => {
    const out = typedOutcome(() => processTokenResponse(res, { clientSecret, expectRefreshToken, grant, now: 1_700_000_000_000 }), TOKEN_KNOWN)
    if (out.ok) {
      assert.equal(res.status, 200)
      assert.equal(out.value.tokens.tokenType, 'Bearer')
      assert.match(out.value.tokens.issuedAt, /^\d{13}$/)
    }
  }), { seed: SEED, numRuns: 3000 })
})

test('a valid generated token answer is accepted with the values it carries', () => {
  fc.assert(fc.property(validAnswer, fc.constantFrom('application/json;charset=UTF-8', 'application/json'), (a, ct) => {
    const res: RawResponse = { status: 200, headers: { 'content-type': ct }, body: JSON.stringify(a.body), url: 'https://login.salesforce.com/services/oauth2/token' }
    const { tokens, checks } = processTokenResponse(res, { clientSecret: SECRET, expectRefreshToken: a.meta.refresh !== undefined, grant: 'authorization_code', now: a.meta.issued })
    assert.equal(tokens.orgId, a.meta.org)
    assert.equal(tokens.userId, a.meta.user)
    assert.equal(tokens.accessToken, a.meta.access)
    assert.equal(tokens.refreshToken, a.meta.refresh)
    assert.equal(tokens.issuedAt, String(a.meta.issued))
    assert.equal(checks.find((c) => c.name === 'signature')?.status, 'pass')
  }), { seed: SEED, numRuns: 1000 })
})

test('userinfo, introspect and revoke answers: a value or a known typed error, whatever the server sends', () => {
  fc.assert(fc.property(response, (res) => {
    const u = typedOutcome(() => processUserinfoResponse(res), [...SHAPE, 'USERINFO_BAD_TOKEN'])
    if (u.ok) assert.ok(res.status === 200 && u.value.sub.length > 0)
    const i = typedOutcome(() => processIntrospectResponse(res), [...SHAPE, 'TOKEN_INACTIVE'])
    if (i.ok) assert.ok(res.status === 200 && i.value.active)
    const r = typedOutcome(() => processRevokeResponse(res), [...SHAPE, 'REVOKE_INVALID_TOKEN'])
    if (r.ok) assert.equal(res.status, 200)
  }), { seed: SEED, numRuns: 3000 })
})

test('an inherited "active" (a __proto__ key in the JSON) is not an active token', () => {
  const res: RawResponse = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"__proto__":{"active":true}}', url: 'https://x/services/oauth2/introspect' }
  const out = typedOutcome(() => processIntrospectResponse(res), SHAPE)
  assert.ok(!out.ok && out.code === 'RESPONSE_FIELD_MISSING')
})
