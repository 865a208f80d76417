/**
 * Property tests: whatever a token file holds, reading it ends in a token set or a typed refusal
 * (TOKEN_FILE_*), never INTERNAL_ERROR, never a bare Error or TypeError. Thousands of generated inputs:
 * arbitrary JSON, near-valid token sets with one or more fields mutated, URLs from fc.webUrl and garbage.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from '../support/scrub.js'
import fc from 'fast-check'
import { HarnessError } from '../../src/errors.js'
import { assertTokenFileHost, parseTokenSet, readTokenFile, tokenFileWarnings } from '../../src/store/token-file.js'

const GOOD = { version: 1, loginUrl: 'https://login.salesforce.com', clientId: '3MVG9fakeConsumerKey', username: 'u@example.com', instanceUrl: 'https://acme.my.salesforce.com', id: 'https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA', orgId: '00D000000000001AAA', userId: '005000000000001AAA', scope: 'api refresh_token', issuedAt: '1764000000000', accessToken: '00D000000000001!AQfake.access', refreshToken: '5Aep861fake.refresh', savedAt: '2026-01-01T00:00:00.000Z' }
const KEYS = Object.keys(GOOD)
const CODES = new Set(['TOKEN_FILE_INVALID', 'TOKEN_FILE_HOST_MISMATCH', 'TOKEN_FILE_HOST_UNTRUSTED'])

/** URL-ish strings: real web URLs (some with credentials, queries, fragments), other schemes, look-alikes, garbage. */
const urlish = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true, validSchemes: ['http', 'https'] }),
  fc.webUrl().map((u) => u.replace('://', '://user:pw@')),
  fc.constantFrom('http://evil.example', 'not a url', 'ftp://x', 'file:///etc/passwd', 'data:text/plain,x', 'javascript:alert(1)', 'https://l\u043egin.salesforce.com', 'https://xn--lgin-73d.salesforce.com', 'http://[::1]:1', 'https://', 'http://127.0.0.1:0', '', ' ', 'https://login.salesforce.com/%', 'https://\u0000x'),
  fc.string({ unit: 'binary', maxLength: 60 }),
)

const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), urlish, fc.constant(undefined))

/** A good set with 1-4 fields replaced (or deleted). */
const nearValid = fc.array(fc.tuple(fc.constantFrom(...KEYS, '__proto__', 'constructor', 'extra'), anyValue), { minLength: 1, maxLength: 4 }).map((edits) => {
  const o: Record<string, unknown> = { ...GOOD }
  for (const [k, v] of edits) {
    if (v === undefined) Reflect.deleteProperty(o, k)
    else Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true })
  }
  return o
})

const urlSwap = fc.record({ loginUrl: urlish, instanceUrl: urlish }).map((u) => ({ ...GOOD, ...u }))

/**
 * Plain checks, not expect(): Playwright records every expect() as a step, which makes thousands of runs
 * crawl. A broken rule throws here and fast-check reports the smallest input that breaks it.
 */
function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(what)
}

function refusedTyped(err: unknown): void {
  must(err instanceof HarnessError, `not a HarnessError: ${String(err)}`)
  const e = err as HarnessError
  must(CODES.has(e.code), `code ${e.code}`)
  must(e.exitCode === 2, `exit ${e.exitCode}`)
  must(!e.message.includes('\n'), 'a message of more than one line')
}

/** parse + host rules, as readTokenFile applies them after the file checks. */
function judge(data: unknown, expectUrl?: string): void {
  try {
    const set = parseTokenSet(JSON.parse(JSON.stringify(data)) as unknown, 'tokens.json')
    assertTokenFileHost(set, 'tokens.json', expectUrl === undefined ? undefined : { loginUrl: expectUrl, from: 'SF_LOGIN_URL' })
    tokenFileWarnings(set)
    // What passes is usable as is: both URLs parse, and are https or loopback http.
    for (const u of [set.loginUrl, set.instanceUrl]) must(['https:', 'http:'].includes(new URL(u).protocol), `accepted ${u}`)
  } catch (err) {
    refusedTyped(err)
  }
}

test('arbitrary JSON: a token set or a typed refusal', () => {
  fc.assert(fc.property(fc.jsonValue(), (v) => judge(v)), { numRuns: 2000 })
})

test('near-valid token sets with mutated fields: a token set or a typed refusal', () => {
  fc.assert(fc.property(nearValid, (v) => judge(v)), { numRuns: 2000 })
})

test('loginUrl and instanceUrl from fc.webUrl and garbage, with and without SF_LOGIN_URL', () => {
  fc.assert(fc.property(urlSwap, fc.option(urlish, { nil: undefined }), (v, expectUrl) => judge(v, expectUrl)), { numRuns: 2000 })
})

test('through the file: random bytes and generated JSON on disk, read by readTokenFile', async () => {
  const base = test.info().outputPath()
  mkdirSync(base, { recursive: true })
  const dir = mkdtempSync(join(base, 'prop-'))
  let i = 0
  await fc.assert(fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)), fc.oneof(fc.jsonValue(), nearValid, urlSwap).map((v) => JSON.stringify(v))), async (content) => {
    const f = join(dir, `t${i++}.json`)
    writeFileSync(f, content, { mode: 0o600 })
    await readTokenFile(f).then(() => undefined, refusedTyped)
  }), { numRuns: 300 })
})
