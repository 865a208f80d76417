/**
 * The identity URL asked with `version` (docs/salesforce-oauth.md §11.2): processIdentityResponse keeps
 * `urls`, a 406 is IDENTITY_VERSION_REFUSED, and checkIdentityUrls refuses placeholders left unfilled or
 * another version than asked (the emulator always fills them, so these answers are built here).
 */
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { checkIdentityUrls, processIdentityResponse } from '../../src/oauth/other-responses.js'
import type { RawResponse } from '../../src/oauth/types.js'

const base = 'https://acme.my.salesforce.com'
const answer = (urls: unknown, status = 200, body?: string): RawResponse => ({
  status,
  url: `${base}/id/00D000000000001AAA/005000000000001AAA?version=latest`,
  headers: { 'content-type': status === 200 ? 'application/json' : 'text/plain' },
  body: body ?? JSON.stringify({ id: `${base}/id/00D000000000001AAA/005000000000001AAA`, user_id: '005000000000001AAA', organization_id: '00D000000000001AAA', username: 'u@example.com', urls }),
})
const codeOf = (fn: () => unknown): string => {
  try {
    fn()
    return 'no error'
  } catch (e) {
    return (e as { code?: string }).code ?? String(e)
  }
}

test('filled urls pass and name their version; the asked number must be the one answered', () => {
  const id = processIdentityResponse(answer({ rest: `${base}/services/data/v62.0/`, sobjects: `${base}/services/data/v62.0/sobjects/`, profile: `${base}/005`, photo: 42 }))
  expect(id.urls).toEqual({ rest: `${base}/services/data/v62.0/`, sobjects: `${base}/services/data/v62.0/sobjects/`, profile: `${base}/005` })
  expect(checkIdentityUrls(id, 'latest')).toBe('urls at v62.0')
  expect(checkIdentityUrls(id, '62')).toBe('urls at v62.0')
  expect(codeOf(() => checkIdentityUrls(id, '58.0'))).toBe('IDENTITY_VERSION_UNFILLED')
})

test('placeholders left, mixed versions, or no versioned URL: IDENTITY_VERSION_UNFILLED; a 406 Invalid_Version: IDENTITY_VERSION_REFUSED', () => {
  expect(codeOf(() => checkIdentityUrls(processIdentityResponse(answer({ rest: `${base}/services/data/v{version}/` })), 'latest'))).toBe('IDENTITY_VERSION_UNFILLED')
  expect(codeOf(() => checkIdentityUrls(processIdentityResponse(answer({ rest: `${base}/services/data/v62.0/`, query: `${base}/services/data/v61.0/query/` })), 'latest'))).toBe('IDENTITY_VERSION_UNFILLED')
  expect(codeOf(() => checkIdentityUrls(processIdentityResponse(answer(undefined)), 'latest'))).toBe('IDENTITY_VERSION_UNFILLED')
  expect(codeOf(() => processIdentityResponse(answer(undefined, 406, 'Invalid_Version')))).toBe('IDENTITY_VERSION_REFUSED')
})
