/**
 * The one catalogue of credential shapes: its variants nest as their consumers need (what the CI scan
 * flags, the fixture check flags; what the masker fakes, the redactor masks), every known fake is shaped
 * like the real thing, and each consumer still finds and passes what it did.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import fc from 'fast-check'
import {
  ACCESS_TOKEN, AUTHORIZATION_CODE, CLIENT_SECRET, findShapes, JWT, ORG_ID, REFRESH_TOKEN, SFDX_AUTH_URL, USER_ID,
} from '../../src/credentials/shapes.js'
import { processTokenResponse } from '../../src/oauth/token-response.js'
import { computeSignature } from '../../src/oauth/signature.js'
import { findCredentials } from '../../src/record/credential-check.js'
import { FAKE_CLIENT_SECRET, FAKE_JWT, FAKE_ORG_ID, fakeAccessToken, fakeCode, fakeRefreshToken, fakeUserId, isKnownFakeSpelling } from '../../src/record/fakes.js'
import { Masker } from '../../src/record/mask.js'
import { Redactor } from '../../src/redact.js'
import { baseEnv } from '../support/env.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

// Real-looking values of the lengths Salesforce issues, built at run time so this file holds none whole.
const REAL = {
  access: ['00D5g000004ABCD', `AQ4AQ${'r'.repeat(91)}`].join('!'),
  refresh: `5Aep861${'q'.repeat(80)}`,
  code: `aPrx${'c'.repeat(70)}==`,
}

const whole = (re: RegExp) => new RegExp(`^(?:${re.source})$`)
const ranges = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => [m.index, m.index + m[0].length] as const)

/** Text made of the pieces credentials and their surroundings are made of, so shapes occur often. */
const pieces = fc.constantFrom('5Aep861', '5Aep', 'aPrx', '00D', '5g000004ABCDE', '!', '%3D', '%26', '=', '==', '.', '_', '-', '%', 'x', 'K9', 'abcdefghij', 'ABCDEFGHIJ', '0123456789', ' ', '<', '>', '@', '"', '&', 'force://', ':')
const text = fc.array(pieces, { maxLength: 60 }).map((a) => a.join(''))

/** [narrower, wider]: every stretch the first finds lies inside one the second finds, in any text. */
const NESTED: readonly [string, RegExp, RegExp][] = [
  ['access: scan ⊆ check/masker/redactor', ACCESS_TOKEN.strict, ACCESS_TOKEN.loose],
  ['refresh: scan ⊆ check/masker', REFRESH_TOKEN.strict, REFRESH_TOKEN.loose],
  ['refresh: check/masker ⊆ redactor', REFRESH_TOKEN.loose, REFRESH_TOKEN.encoded],
  ['code: scan ⊆ check/masker', AUTHORIZATION_CODE.strict, AUTHORIZATION_CODE.loose],
  ['code: check/masker ⊆ redactor', AUTHORIZATION_CODE.loose, AUTHORIZATION_CODE.encoded],
  ['sfdx URL: masker/redactor ⊆ check', SFDX_AUTH_URL.loose, SFDX_AUTH_URL.any],
]

for (const [name, narrow, wide] of NESTED) {
  test(`variants nest: ${name}`, () => {
    fc.assert(
      fc.property(text, (t) => {
        const outer = ranges(t, wide)
        for (const [a, b] of ranges(t, narrow)) expect(outer.some(([c, d]) => c <= a && b <= d), `${t} [${a},${b})`).toBe(true)
      }),
      { numRuns: 3000 },
    )
  })
}

test('every known fake is shaped like the real thing: each variant of its shape finds it whole', () => {
  for (const n of [0, 1, 42, 9999]) {
    const at = fakeAccessToken(n)
    for (const re of [ACCESS_TOKEN.loose, ACCESS_TOKEN.strict]) expect(at).toMatch(whole(re))
    expect(ACCESS_TOKEN.start.test(at)).toBe(true)
    const rt = fakeRefreshToken(n)
    for (const re of [REFRESH_TOKEN.loose, REFRESH_TOKEN.strict, REFRESH_TOKEN.encoded]) expect(rt).toMatch(whole(re))
    expect(REFRESH_TOKEN.start.test(rt)).toBe(true)
    const code = fakeCode(n)
    for (const re of [AUTHORIZATION_CODE.loose, AUTHORIZATION_CODE.strict, AUTHORIZATION_CODE.encoded]) expect(code).toMatch(whole(re))
    expect(code.replace(/==$/, '%3D%3D')).toMatch(whole(AUTHORIZATION_CODE.strict))
    expect(AUTHORIZATION_CODE.exact.test(code)).toBe(true)
    expect(fakeUserId(n)).toMatch(whole(USER_ID.standalone))
  }
  expect(FAKE_JWT).toMatch(whole(JWT.loose))
  expect(FAKE_ORG_ID).toMatch(whole(ORG_ID.standalone))
  expect(FAKE_ORG_ID.slice(0, 15)).toMatch(whole(ORG_ID.standalone))
  // The allow-list lets fakes through in both spellings, and nothing merely shaped like one.
  expect(isKnownFakeSpelling(fakeCode(3).replace(/==$/, '%3D%3D'))).toBe(true)
  expect(isKnownFakeSpelling(fakeCode(3).replace(/A==$/, 'B=='))).toBe(false)
  expect(isKnownFakeSpelling(REAL.refresh)).toBe(false)
})

test('the anchored checks: a session id and a code exactly as Salesforce issues them', () => {
  expect(ACCESS_TOKEN.start.test(REAL.access)).toBe(true)
  expect(ACCESS_TOKEN.start.test('eyJhbGciOiJSUzI1NiJ9.x.y')).toBe(false)
  expect(AUTHORIZATION_CODE.exact.test(REAL.code)).toBe(true)
  expect(AUTHORIZATION_CODE.exact.test(REAL.code.slice(0, -1))).toBe(false)
  expect(AUTHORIZATION_CODE.exact.test(`${REAL.code.slice(0, -2)}%3D%3D`)).toBe(false)
  // Anchored patterns are not global: repeated tests give the same answer.
  expect([1, 2, 3].map(() => ACCESS_TOKEN.start.test(REAL.access))).toEqual([true, true, true])
})

test('findShapes: each shape in list order, with the index, fakes let through by the allow-list', () => {
  const t = `a ${REAL.refresh} b ${fakeRefreshToken(2)} c ${REAL.access}`
  const shapes = [{ kind: 'rt', pattern: REFRESH_TOKEN.loose }, { kind: 'at', pattern: ACCESS_TOKEN.loose }]
  expect(findShapes(t, shapes).map((m) => m.kind)).toEqual(['rt', 'rt', 'at'])
  const found = findShapes(t, shapes, isKnownFakeSpelling)
  expect(found.map((m) => [m.kind, m.index])).toEqual([['rt', 2], ['at', t.indexOf(REAL.access)]])
  expect(found[0]?.value).toBe(REAL.refresh)
})

test('redactor: the encoded variants mask a percent-encoded refresh token or code whole; placeholders stay', () => {
  const r = new Redactor()
  const out = r.text(`rt=${encodeURIComponent(`${REAL.refresh}==`)} code ${encodeURIComponent(REAL.code)} force://<clientId>:<clientSecret>:<refreshToken>@<instance>`)
  expect(out).toBe(`rt=5Aep…(93 chars) code aPrx…(80 chars) force://<clientId>:<clientSecret>:<refreshToken>@<instance>`)
  // A short made-up value is not a credential shape (fewer than 20 characters after the prefix).
  expect(r.text('5Aep861short aPrxshort')).toBe('5Aep861short aPrxshort')
})

test('masker: a code percent-encoded in text maps to the same fake as the decoded code; HTML around an sfdx URL survives', () => {
  const m = new Masker()
  const decoded = m.text(`code ${REAL.code}`)
  const encoded = m.text(`<a href="/cb?code=${encodeURIComponent(REAL.code)}">`)
  expect(decoded).toBe(`code ${fakeCode(1)}`)
  expect(encoded).toBe(`<a href="/cb?code=${fakeCode(1)}">`)
  expect(m.text(`<pre>force://3MVG9x:s3cret:${REAL.refresh}@acme.my.salesforce.com</pre>`)).toBe('<pre>force://FAKE</pre>')
  // What it faked before, it still fakes: a session id, a refresh token, ids.
  const m2 = new Masker()
  expect(m2.text(`${REAL.access} ${REAL.refresh} ${FAKE_ORG_ID.replace('FAKE', 'ABCD')} 0055g00000ABCDEAAA`)).toBe(`${fakeAccessToken(1)} ${fakeRefreshToken(1)} ${FAKE_ORG_ID} ${fakeUserId(0)}`)
})

test('fixture check: finds every loose shape, a lone "=" after a code included; passes the fakes in both spellings', () => {
  expect(findCredentials(`${REAL.code.slice(0, -1)}&x`).map((f) => f.kind)).toEqual([AUTHORIZATION_CODE.label])
  expect(findCredentials(`${REAL.code} ${encodeURIComponent(REAL.code)}`).map((f) => f.value)).toEqual(['aPrx…(76 chars)', 'aPrx…(80 chars)'])
  expect(findCredentials(`force://no-at-sign-here`).map((f) => f.kind)).toEqual([SFDX_AUTH_URL.label])
  expect(findCredentials(`"clientSecret":"x1" ${'A1B2C3D4'.repeat(8)}`).map((f) => f.kind)).toEqual([CLIENT_SECRET.label, `${CLIENT_SECRET.label} (64 hex)`])
  expect(findCredentials(`${encodeURIComponent(fakeCode(4))} client_secret=${FAKE_CLIENT_SECRET} ${fakeAccessToken(4)}`)).toEqual([])
})

test('token response: a session id passes the access_token check, and the id URL takes 15- and 18-character ids', () => {
  const secret = 'S'.repeat(64)
  for (const [org, user] of [['00D5g000004ABCD', '0055g00000ABCDE'], ['00D5g000004ABCDEAU', '0055g00000ABCDEAAA']] as const) {
    const id = `https://login.salesforce.com/id/${org}/${user}`
    const issuedAt = '1764000000000'
    const body = JSON.stringify({ access_token: REAL.access, refresh_token: REAL.refresh, signature: computeSignature(secret, id, issuedAt), scope: 'api refresh_token', instance_url: 'https://acme.my.salesforce.com', id, token_type: 'Bearer', issued_at: issuedAt })
    const { tokens, checks } = processTokenResponse({ status: 200, headers: { 'content-type': 'application/json' }, body, url: 'https://login.salesforce.com/services/oauth2/token' }, { clientSecret: secret, expectRefreshToken: true, grant: 'authorization_code', now: Number(issuedAt) })
    expect([tokens.orgId, tokens.userId]).toEqual([org, user])
    expect(checks.find((c) => c.name === 'access_token')?.status).toBe('pass')
  }
})

test('CI artifact scan: strict shapes; short values quoted from test code pass, real lengths are flagged in either spelling', () => {
  // Outside test-results/, which the CI artifact scan reads after the run.
  const dir = mkdtempSync(join(tmpdir(), 'sf-oauth-shapes-scan-'))
  try {
    const scan = () => spawnSync(process.execPath, ['scripts/scan-artifacts.mjs', dir], { cwd: ROOT, env: baseEnv(), encoding: 'utf8' })
    // What the fixture check flags but the scan must not: values too short to be issued by Salesforce.
    const short = `00D5g000004ABCD!AQ4AQshort 5Aep861${'k'.repeat(20)} aPrx${'c'.repeat(30)}==`
    expect(findCredentials(short)).toHaveLength(3)
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ snippet: short, fakes: [fakeAccessToken(1), fakeRefreshToken(1), encodeURIComponent(fakeCode(1))] }))
    const clean = scan()
    expect(clean.stderr).toBe('')
    expect(clean.status).toBe(0)
    writeFileSync(join(dir, 'trace.txt'), `${REAL.access}\n${encodeURIComponent(REAL.code)}`)
    const dirty = scan()
    expect(dirty.status).toBe(1)
    expect(dirty.stderr).toContain('access token in')
    expect(dirty.stderr).toContain('authorization code in')
    expect(dirty.stderr).not.toContain('refresh token in')
    expect(dirty.stderr).not.toContain(REAL.access)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
