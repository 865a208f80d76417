/**
 * `sf-oauth export`: the Postman collection and the Bruno folder hold every request with its tests and no
 * secret (secrets only as {{variables}}); the .bru files parse back with Bruno's own parser; export
 * sfdx-url writes a 0600 auth URL from a token file; export curl is the curl command. In process, no
 * network: newman and bru runs against the emulator are in tests/heavy/.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportCommand, POSTMAN_COLLECTION_FILE, POSTMAN_ENVIRONMENT_FILE } from '../../src/cli/commands/export.js'
import { main } from '../../src/cli/main.js'
import { brunoCollection } from '../../src/interop/bruno.js'
import { collectionRequests, type CollectionSettings } from '../../src/interop/collection.js'
import type { postmanCollection } from '../../src/interop/postman-collection.js';
import { POSTMAN_SCHEMA } from '../../src/interop/postman-collection.js'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'

const SETTINGS: CollectionSettings = { loginUrl: 'https://login.salesforce.com', clientId: '3MVG9fakeConsumerKey', redirectUri: 'http://localhost:1717/OauthRedirect', scope: 'api refresh_token', pkce: true }
const SECRET_PARAMS = ['client_secret', 'code', 'code_verifier', 'refresh_token', 'token']
const ORG = { SF_LOGIN_URL: 'https://login.salesforce.com', SF_CLIENT_ID: '3MVG9fakeConsumerKey', SF_CLIENT_SECRET: 'TopSecretConsumerSecret0000', SF_USERNAME: 'u@example.com', SF_PASSWORD: 'Hunter2-password' }

function capture() {
  let stdout = ''
  let stderr = ''
  return { io: { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) }, out: () => stdout, err: () => stderr }
}

test('every secret parameter of every request is a {{variable}}, never a value', () => {
  const requests = collectionRequests(SETTINGS)
  expect(requests.map((r) => r.name)).toEqual(['1 authorize URL (browser step)', '2 code exchange', '3 userinfo', '4 identity URL', '5 introspect', '6 refresh', '7 revoke'])
  for (const r of requests) {
    for (const [k, v] of [...(r.form ?? []), ...r.query]) if (SECRET_PARAMS.includes(k)) expect(v, `${r.name} ${k}`).toMatch(/^\{\{\w+\}\}$/)
    for (const [, v] of r.headers) expect(v).toMatch(/^Bearer \{\{access_token\}\}$/)
    expect(r.tests.length).toBeGreaterThan(0)
  }
  // PKCE off: no challenge, no verifier.
  const plain = JSON.stringify(collectionRequests({ ...SETTINGS, pkce: false }))
  expect(plain).not.toContain('code_verifier')
  expect(plain).not.toContain('code_challenge')
})

test('export postman writes a v2.1 collection and an environment whose secrets are empty', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-oauth-export-'))
  const c = capture()
  expect(await exportCommand(['postman', '--out', dir], c.io, { env: ORG })).toBe(0)
  const collection = readFileSync(join(dir, POSTMAN_COLLECTION_FILE), 'utf8')
  const env = readFileSync(join(dir, POSTMAN_ENVIRONMENT_FILE), 'utf8')
  for (const text of [collection, env, c.out()]) {
    expect(text).not.toContain(ORG.SF_CLIENT_SECRET)
    expect(text).not.toContain(ORG.SF_PASSWORD)
  }
  const parsed = JSON.parse(collection) as ReturnType<typeof postmanCollection> & { item: { request: { url: string } }[] }
  expect(parsed.info.schema).toBe(POSTMAN_SCHEMA)
  expect(parsed.item[1]?.request.url).toBe('{{login_url}}/services/oauth2/token')
  const values = (JSON.parse(env) as { values: { key: string; value: string; type: string }[] }).values
  expect(values.find((v) => v.key === 'login_url')?.value).toBe('https://login.salesforce.com')
  expect(values.filter((v) => v.type === 'secret').every((v) => v.value === '')).toBe(true)
})

test('the Bruno files parse back with Bruno\'s own parser: same requests, tests, secrets as vars:secret', () => {
  const lang = createRequire(import.meta.url)('@usebruno/lang') as { bruToJsonV2: (t: string) => { http: { method: string; url: string }; body?: { formUrlEncoded?: { name: string; value: string }[] }; tests?: string; settings?: { followRedirects?: boolean } }; bruToEnvJsonV2: (t: string) => { variables: { name: string; value: string; secret: boolean }[] } }
  const files = brunoCollection(SETTINGS)
  const requests = collectionRequests(SETTINGS)
  expect(files.map((f) => f.path)).toEqual(['bruno.json', ...requests.map((r) => `${r.name}.bru`), 'environments/sf-oauth.bru'])
  for (const [i, r] of requests.entries()) {
    const back = lang.bruToJsonV2(files[i + 1]?.text ?? '')
    expect(back.http.method).toBe(r.method.toLowerCase())
    expect(back.http.url.split('?')[0]).toBe(r.url)
    expect(back.body?.formUrlEncoded?.map((p) => [p.name, p.value]) ?? []).toEqual(r.form ?? [])
    // Every line of the neutral tests is in the parsed tests block.
    for (const line of r.tests) expect(back.tests).toContain(line)
  }
  const env = lang.bruToEnvJsonV2(files.at(-1)?.text ?? '')
  expect(env.variables.filter((v) => v.secret).map((v) => v.name)).toEqual(['client_secret', 'code_verifier', 'code', 'access_token', 'refresh_token'])
  expect(env.variables.filter((v) => v.secret).every((v) => v.value === '')).toBe(true)
})

test('export sfdx-url writes the auth URL 0600 from a token file, the secret from SF_CLIENT_SECRET', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-oauth-export-'))
  const tokens = join(dir, 'tokens.json')
  writeFileSync(tokens, JSON.stringify({ version: 1, loginUrl: ORG.SF_LOGIN_URL, clientId: ORG.SF_CLIENT_ID, username: ORG.SF_USERNAME, instanceUrl: 'https://acme.my.salesforce.com', id: 'https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA', orgId: '00D000000000001AAA', userId: '005000000000001AAA', scope: 'api refresh_token', issuedAt: '1764000000000', accessToken: '00D000000000001!AQfake.access', refreshToken: '5Aep861fake.refresh', savedAt: '2026-01-01T00:00:00.000Z' }), { mode: 0o600 })
  const out = join(dir, 'auth.url')
  const c = capture()
  expect(await exportCommand(['sfdx-url', '--file', tokens, '--out', out], c.io, { env: ORG })).toBe(0)
  expect(readFileSync(out, 'utf8')).toBe(`force://${ORG.SF_CLIENT_ID}:${ORG.SF_CLIENT_SECRET}:5Aep861fake.refresh@acme.my.salesforce.com\n`)
  expect(statSync(out).mode & 0o777).toBe(0o600)
  expect(c.out()).not.toContain(ORG.SF_CLIENT_SECRET)
  // The token file itself as --out would be overwritten: refused before anything is read.
  await expect(exportCommand(['sfdx-url', '--file', tokens, '--out', tokens], c.io, { env: ORG })).rejects.toMatchObject({ code: 'OUTPUT_COLLISION' })
  await expect(exportCommand(['sfdx-url', '--out', out], c.io, { env: ORG })).rejects.toMatchObject({ code: 'USAGE_INVALID' })
})

test('export without a kind, or an unknown one, is a usage error naming the four', async () => {
  const c = capture()
  for (const argv of [[], ['insomnia'], ['postman', 'extra']]) {
    await expect(exportCommand(argv, c.io, { env: ORG })).rejects.toMatchObject({ code: 'USAGE_INVALID', message: expect.stringMatching(/postman\|bruno\|curl\|sfdx-url|postman, bruno, curl, sfdx-url/) })
  }
})

test('export curl is sf-oauth curl', async () => {
  const a = capture()
  const b = capture()
  expect(await main(['curl', '--json'], a.io)).toBe(0)
  expect(await main(['export', 'curl', '--json'], b.io)).toBe(0)
  expect(b.out()).toBe(a.out())
  expect(JSON.parse(b.out())).toMatchObject({ ok: true })
})
