/** The fixtures themselves: sourced, fake, and their signatures verify with the fake client secret. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { verifySignature } from '../../src/oauth/signature.js'
import { FAKE_CLIENT_SECRET, isKnownFake } from '../../src/record/fakes.js'
import { expect, FIXTURES_DIR, fixtureNames, loadFixture, test } from '../support/offline.js'

test('every fixture names its source and is marked fake', () => {
  const names = fixtureNames()
  expect(names.length).toBeGreaterThanOrEqual(38)
  for (const n of names) {
    const f = loadFixture(n)
    expect(f.source, n).toMatch(/salesforce-oauth\.md §\d/)
    expect((f as unknown as { fake: boolean }).fake, n).toBe(true)
  }
})

test('every signature in fixtures verifies against fixtures/fakes.json clientSecret, and that secret is the known fake', () => {
  const fakes = JSON.parse(readFileSync(join(FIXTURES_DIR, 'fakes.json'), 'utf8')) as { clientSecret: string }
  expect(fakes.clientSecret).toBe(FAKE_CLIENT_SECRET)
  let signed = 0
  for (const n of fixtureNames()) {
    const body = loadFixture(n).response?.body ?? ''
    let data: Record<string, string>
    try {
      data = JSON.parse(body) as Record<string, string>
    } catch {
      continue
    }
    if (data.signature === undefined) continue
    signed++
    expect(verifySignature(fakes.clientSecret, data.id ?? '', data.issued_at ?? '', data.signature), n).toBe(true)
    for (const k of ['access_token', 'refresh_token'] as const) if (data[k] !== undefined) expect(isKnownFake(data[k]), `${n} ${k}`).toBe(true)
  }
  expect(signed).toBeGreaterThanOrEqual(4)
})

test('the identity URL fixture carries the org and user of the token fixtures', () => {
  const token = JSON.parse(loadFixture('token/authorization_code/200-success').response?.body ?? '') as { id: string }
  const identity = JSON.parse(loadFixture('identity/200-success').response?.body ?? '') as { id: string; organization_id: string; user_id: string }
  expect(identity.id).toBe(token.id)
  expect(token.id.endsWith(`/${identity.organization_id}/${identity.user_id}`)).toBe(true)
})
