/**
 * Property-based: sfdxAuthUrl on arbitrary token sets. A URL the sf CLI's own pattern accepts, with the
 * instance host, or USAGE_INVALID; never a TypeError.
 */
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { expect, test } from '@playwright/test'
import { SFDX_URL_PATTERN, sfdxAuthUrl } from '../../src/interop/sfdx-url.js'
import { SEED, typedOutcome } from '../support/properties.js'

const part = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._-]{1,30}={0,2}$/), fc.string({ unit: 'binary', maxLength: 20 }))
const instance = fc.oneof(fc.webUrl(), fc.constantFrom('not a url', '', 'https://', 'http://127.0.0.1:4567', 'https://acme.my.salesforce.com', 'file:///x', 'https://[::1]:8443'), fc.string({ maxLength: 20 }))

test('any token set: an auth URL the sf CLI pattern accepts, or USAGE_INVALID', () => {
  fc.assert(fc.property(part, fc.option(part, { nil: undefined }), fc.option(part, { nil: undefined }), instance, (clientId, clientSecret, refreshToken, instanceUrl) => {
    const out = typedOutcome(() => sfdxAuthUrl({ clientId, clientSecret, refreshToken, instanceUrl }), ['USAGE_INVALID'])
    if (!out.ok) return
    assert.match(out.value.url, SFDX_URL_PATTERN)
    assert.ok(out.value.url.endsWith(`@${new URL(instanceUrl).host}`))
  }), { seed: SEED, numRuns: 3000 })
})

test('regression: an instance_url that is not a URL is USAGE_INVALID, not a TypeError', () => {
  const out = typedOutcome(() => sfdxAuthUrl({ clientId: 'a', clientSecret: 'b', refreshToken: 'c', instanceUrl: 'not a url' }), ['USAGE_INVALID'])
  expect(out.ok ? 'accepted' : out.code).toBe('USAGE_INVALID')
})
