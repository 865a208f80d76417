import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { AuthorizationError } from '../../src/errors.js'
import { isValidatedCallback, parseCallback } from '../../src/oauth/callback.js'
import { authorizationCodeBody } from '../../src/oauth/token-request.js'
import { codeOf } from '../support/properties.js'

const REDIRECT = 'http://localhost:1717/OauthRedirect'
// An observed callback (docs/salesforce-oauth.md §1.4, b2c-crm-sync#16): the code ends in %3D%3D.
const RAW = 'aPrxGfV7WpWWFnEHqst_Stl_FyuCAgbsneQ6zSM2DJPi228_A_tXCg8ztb1cPKimwp8ENHaGvg%3D%3D'

test('percent-decodes the code exactly once', () => {
  const cb = parseCallback(`${REDIRECT}?code=${RAW}&state=5e464f1da81b`, { redirectUri: REDIRECT, state: '5e464f1da81b' })
  expect(cb.code).toBe('aPrxGfV7WpWWFnEHqst_Stl_FyuCAgbsneQ6zSM2DJPi228_A_tXCg8ztb1cPKimwp8ENHaGvg==')
  expect(cb.code.endsWith('==')).toBe(true)
  expect(isValidatedCallback(cb)).toBe(true)
})

test('a wrong, missing or foreign state is refused with its own code', () => {
  expect(codeOf(() => parseCallback(`${REDIRECT}?code=${RAW}&state=other`, { redirectUri: REDIRECT, state: 'mine' }))).toBe('STATE_MISMATCH')
  expect(codeOf(() => parseCallback(`${REDIRECT}?code=${RAW}`, { redirectUri: REDIRECT, state: 'mine' }))).toBe('STATE_MISSING')
  expect(codeOf(() => parseCallback(`${REDIRECT}?error=access_denied&state=other`, { redirectUri: REDIRECT, state: 'mine' }))).toBe('STATE_MISMATCH')
})

test('an error redirect names the Salesforce error', () => {
  let caught: unknown
  try {
    parseCallback(`${REDIRECT}?error=access_denied&error_description=end-user+denied+authorization&state=s`, { redirectUri: REDIRECT, state: 's' })
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(AuthorizationError)
  const e = caught as AuthorizationError
  expect(e.code).toBe('AUTHORIZE_ACCESS_DENIED')
  expect(e.error).toBe('access_denied')
  expect(e.errorDescription).toBe('end-user denied authorization')
  expect(e.exitCode).toBe(1)
})

test('an error the harness does not list is AUTHORIZE_ERROR_UNKNOWN, the raw error kept in the error field and the cause', () => {
  let caught: unknown
  try {
    parseCallback(`${REDIRECT}?error=something_new&error_description=a+new+rule&state=s`, { redirectUri: REDIRECT, state: 's' })
  } catch (err) {
    caught = err
  }
  expect(caught).toBeInstanceOf(AuthorizationError)
  expect(caught).toMatchObject({ code: 'AUTHORIZE_ERROR_UNKNOWN', error: 'something_new', errorDescription: 'a new rule', exitCode: 1, cause: { error: 'something_new' } })
})

test('another host or path, or no code, is not a callback', () => {
  expect(codeOf(() => parseCallback(`http://localhost:1718/OauthRedirect?code=x&state=s`, { redirectUri: REDIRECT, state: 's' }))).toBe('CALLBACK_URI_MISMATCH')
  expect(codeOf(() => parseCallback(`http://localhost:1717/OauthRedirectElsewhere?code=x&state=s`, { redirectUri: REDIRECT, state: 's' }))).toBe('CALLBACK_URI_MISMATCH')
  expect(codeOf(() => parseCallback(`http://127.0.0.1:1717/OauthRedirect?code=x&state=s`, { redirectUri: REDIRECT, state: 's' }))).toBe('CALLBACK_URI_MISMATCH')
  expect(codeOf(() => parseCallback(`${REDIRECT}?state=s`, { redirectUri: REDIRECT, state: 's' }))).toBe('CALLBACK_INVALID')
})

test('the token body accepts only a validated callback', () => {
  const forged = { code: 'aPrx', state: 's', redirectUri: REDIRECT } as unknown as Parameters<typeof authorizationCodeBody>[0]
  expect(codeOf(() => authorizationCodeBody(forged, { clientId: 'c', clientSecret: 's' }, undefined))).toBe('CALLBACK_NOT_VALIDATED')
  const cb = parseCallback(`${REDIRECT}?code=${RAW}&state=s`, { redirectUri: REDIRECT, state: 's' })
  const body = authorizationCodeBody(cb, { clientId: 'cid', clientSecret: 'sec' }, 'ver')
  expect(Object.fromEntries(body)).toEqual({ grant_type: 'authorization_code', code: cb.code, client_id: 'cid', redirect_uri: REDIRECT, client_secret: 'sec', code_verifier: 'ver' })
  // The decoded "==" is encoded again exactly once on the wire.
  expect(body.toString()).toContain('%3D%3D')
})
