/**
 * Property-based: what `sf-oauth replay` reads from disk. Transcripts (flow --record) and nock fixtures
 * (sf-oauth record), well-formed ones mutated at any field, and any text: parsing is a value or one typed
 * error (TRANSCRIPT_INVALID, NOCK_FIXTURE_INVALID), and what parses replays to a known code, never
 * INTERNAL_ERROR, never a crash of the process.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { FAKE_LOGIN_URL } from '../../src/record/fakes.js'
import { parseNockDefinitions, replayDefinitions, replayTranscript } from '../../src/record/replay.js'
import { parseTranscript } from '../../src/record/transcript.js'
import { codeOf, SEED, typedOutcome, typedOutcomeAsync } from '../support/properties.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures', import.meta.url))
const SUCCESS = readFileSync(join(FIXTURES, 'transcripts', 'success', 'transcript.json'), 'utf8')
const WRONG_SECRET = readFileSync(join(FIXTURES, 'transcripts', 'wrong-client-secret', 'transcript.json'), 'utf8')
const RECORDED = readFileSync(join(FIXTURES, 'recorded', 'web-server-flow.json'), 'utf8')

type Path = readonly (string | number)[]
const EXCHANGE_PATHS: Path[] = [[], ['request'], ['request', 'url'], ['request', 'method'], ['request', 'headers'], ['request', 'headers', 'authorization'], ['request', 'body'],
  ['response'], ['response', 'status'], ['response', 'headers'], ['response', 'headers', 'content-type'], ['response', 'headers', '__proto__'], ['response', 'body'], ['attempt'], ['errorCode'], ['error'], ['durationMs']]
const TRANSCRIPT_PATHS: Path[] = [['format'], ['outcome'], ['outcome', 'ok'], ['outcome', 'code'], ['pages'], ['pages', 0], ['exchanges'], ['screenshots'], ['expectRefreshToken'], ['__proto__'], ['loginUrl'],
  ...EXCHANGE_PATHS.map((p) => ['exchanges', 0, ...p]), ...EXCHANGE_PATHS.map((p) => ['exchanges', 1, ...p])]
const DEFINITION_PATHS: Path[] = [[], ['scope'], ['method'], ['path'], ['body'], ['status'], ['response'], ['rawHeaders'], ['rawHeaders', 'content-type'], ['rawHeaders', '__proto__'], ['reqheaders'], ['responseIsBinary'], ['__proto__']]

const odd = fc.constantFrom(
  null, 0, -1, 1.5, 99, 100, 101, 199, 200, 204, 302, 400, 503, 599, 600, 999, 1000, true, '', ' ', 'not a url', 'http://[', 'ftp://x/y', `${FAKE_LOGIN_URL}/services/oauth2/userinfo`,
  `${FAKE_LOGIN_URL}/services/oauth2/revoke`, `${FAKE_LOGIN_URL}/services/oauth2/introspect`, `${FAKE_LOGIN_URL}/other?x=1`, 'http://127.0.0.1:9/services/oauth2/token', 'https://u:p@fake-login.example.com/services/oauth2/token',
  'GET', 'POST', 'get', 'DELETE', 'P O S T', 'NETWORK_ERROR', 'NETWORK_CONNECT_FAILED', 'HTTP_STATUS_INVALID', 'HTTP_PROTOCOL_ERROR', 'x\r\ny', 'a\u0100', '\u0000', [], {}, ['a'], { a: 1 }, { 'a b': 'x' },
  'grant_type=refresh_token&refresh_token=x', '{"error":"invalid_grant","error_description":"expired access/refresh token"}', '{', '/services/oauth2/token', 'x', 'https://fake-login.example.com',
)
const value = fc.oneof(odd, odd, fc.jsonValue({ maxDepth: 2 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.constant(undefined))
const mutation = (paths: Path[]) => fc.tuple(fc.constantFrom(...paths), value)

/** Set (or delete, for undefined) one path of a JSON value; "__proto__" becomes an own key, as JSON.parse makes it. */
function mutate(root: unknown, [path, v]: [Path, unknown]): unknown {
  if (path.length === 0) return v
  let at: unknown = root
  for (const key of path.slice(0, -1)) {
    if (typeof at !== 'object' || at === null) return root
    at = (at as Record<string | number, unknown>)[key]
  }
  if (typeof at !== 'object' || at === null) return root
  const last = path[path.length - 1] as string | number
  if (v === undefined) Reflect.deleteProperty(at, last)
  else Object.defineProperty(at, last, { value: v, enumerable: true, writable: true, configurable: true })
  return root
}

/** A recorded time-out replays as an answer 6 s late: left out so each run stays fast. */
const noTimeouts = (text: string) => text.replaceAll('NETWORK_TIMEOUT', 'NETWORK_ERROR')

const transcriptText = fc.oneof(
  fc.tuple(fc.constantFrom(SUCCESS, WRONG_SECRET, twoExchanges()), fc.array(mutation(TRANSCRIPT_PATHS), { minLength: 1, maxLength: 3 }))
    .map(([base, ms]) => noTimeouts(JSON.stringify(ms.reduce<unknown>((t, m) => mutate(t, m), JSON.parse(base))))),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.nat().map((n) => SUCCESS.slice(0, n % SUCCESS.length)),
)

const fixtureText = fc.oneof(
  fc.array(fc.tuple(fc.nat({ max: 5 }), mutation(DEFINITION_PATHS)).map(([i, [p, v]]) => [[i, ...p], v] as [Path, unknown]), { minLength: 1, maxLength: 3 })
    .map((ms) => JSON.stringify(ms.reduce<unknown>((t, m) => mutate(t, m), JSON.parse(RECORDED)))),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.nat().map((n) => RECORDED.slice(0, n % RECORDED.length)),
)

/** The success transcript with a userinfo call after the token call: two exchanges to mutate. */
function twoExchanges(): string {
  const t = JSON.parse(SUCCESS) as { exchanges: unknown[] }
  const userinfo = { request: { method: 'GET', url: 'https://fake-org.my.example.com/services/oauth2/userinfo', headers: { authorization: 'Bearer 00DFAKE' } }, response: { status: 403, headers: { 'content-type': 'text/plain' }, body: 'Bad_OAuth_Token' }, attempt: 1, durationMs: 3 }
  return JSON.stringify({ ...t, exchanges: [...t.exchanges, userinfo] })
}

const REPLAY_CODE = /^(?!INTERNAL_ERROR$)[A-Z][A-Z0-9_]*$/

test('any transcript text: parsed, or TRANSCRIPT_INVALID (exit 2) naming the field', () => {
  fc.assert(fc.property(transcriptText, (text) => {
    const out = typedOutcome(() => parseTranscript(text, 'rec/transcript.json'), ['TRANSCRIPT_INVALID'])
    if (!out.ok) assert.equal(out.error.exitCode, 2)
  }), { seed: SEED, numRuns: 3000 })
})

test('a transcript that parses replays to ok or a known code, never INTERNAL_ERROR or a crash', async () => {
  test.setTimeout(120_000)
  await fc.assert(fc.asyncProperty(transcriptText, async (text) => {
    const parsed = typedOutcome(() => parseTranscript(text, 't'), ['TRANSCRIPT_INVALID'])
    if (!parsed.ok) return
    const r = await typedOutcomeAsync(() => replayTranscript(parsed.value), [])
    if (!r.ok) return
    for (const c of r.value.calls) assert.ok(c === 'ok' || REPLAY_CODE.test(c), c)
    if (!r.value.ok) assert.match(r.value.code ?? '', REPLAY_CODE)
  }), { seed: SEED, numRuns: 300 })
})

test('any nock fixture text: parsed, or NOCK_FIXTURE_INVALID; what parses replays to known codes', async () => {
  test.setTimeout(120_000)
  fc.assert(fc.property(fixtureText, (text) => {
    typedOutcome(() => parseNockDefinitions(text, 'f.json'), ['NOCK_FIXTURE_INVALID'])
  }), { seed: SEED, numRuns: 3000 })
  await fc.assert(fc.asyncProperty(fixtureText, async (text) => {
    const parsed = typedOutcome(() => parseNockDefinitions(text, 'f.json'), ['NOCK_FIXTURE_INVALID'])
    if (!parsed.ok) return
    const r = await typedOutcomeAsync(() => replayDefinitions(parsed.value), ['NOCK_FIXTURE_INVALID'])
    if (r.ok) for (const c of r.value.calls) assert.ok(c === 'ok' || REPLAY_CODE.test(c), c)
  }), { seed: SEED, numRuns: 200 })
})

test('the committed transcripts and fixture still parse as they are', () => {
  expect(parseTranscript(SUCCESS, 's').exchanges).toHaveLength(1)
  expect(parseTranscript(WRONG_SECRET, 'w').outcome.code).toBe('TOKEN_INVALID_CLIENT_CREDENTIALS')
  expect(parseNockDefinitions(RECORDED, 'r').length).toBeGreaterThanOrEqual(6)
})

test('regression: malformed transcripts are TRANSCRIPT_INVALID at parse time (they reached the replay and threw TypeErrors)', () => {
  const t = JSON.parse(SUCCESS) as Record<string, unknown>
  for (const broken of [{ ...t, exchanges: [null] }, { ...t, outcome: undefined }, { ...t, pages: 'x' }, { ...t, exchanges: [{ request: { method: 'POST', url: 'not a url' }, attempt: 1, durationMs: 0 }] }, null, 'x']) {
    expect(codeOf(() => parseTranscript(JSON.stringify(broken), 'rec/transcript.json')), JSON.stringify(broken).slice(0, 80)).toBe('TRANSCRIPT_INVALID')
  }
  expect(codeOf(() => parseTranscript('{', 'rec/transcript.json'))).toBe('TRANSCRIPT_INVALID')
})

test('regression: a recorded status outside 200-599 replays to HTTP_STATUS_INVALID (nock threw a RangeError in a timer and killed the process)', async () => {
  const t = JSON.parse(SUCCESS) as { exchanges: { response: { status: number } }[] }
  for (const status of [999, 600, 100]) {
    const x = t.exchanges[0]
    if (x === undefined) throw new Error('the success transcript has an exchange')
    x.response.status = status
    const r = await replayTranscript(parseTranscript(JSON.stringify(t), 't'))
    expect(r).toMatchObject({ ok: false, code: 'HTTP_STATUS_INVALID', calls: ['HTTP_STATUS_INVALID'] })
  }
})

test('regression: a recorded refused connection replays as NETWORK_CONNECT_FAILED (nock rejects with a plain object, which lost its code)', async () => {
  const t = JSON.parse(SUCCESS) as { exchanges: Record<string, unknown>[]; outcome: unknown }
  const x = t.exchanges[0] ?? {}
  t.exchanges = [1, 2, 3].map((attempt) => ({ ...x, response: undefined, error: 'refused', errorCode: 'NETWORK_CONNECT_FAILED', attempt }))
  const r = await replayTranscript(parseTranscript(JSON.stringify(t), 't'))
  expect(r).toMatchObject({ ok: false, code: 'NETWORK_CONNECT_FAILED', unused: [] })
})

test('regression: a response header nock cannot rebuild is TRANSCRIPT_INVALID (a non-Latin-1 value threw in a timer)', () => {
  const t = JSON.parse(SUCCESS) as { exchanges: { response: { headers: Record<string, string> } }[] }
  const headers = t.exchanges[0]?.response.headers ?? {}
  headers['x-odd'] = 'a\u0100'
  expect(codeOf(() => parseTranscript(JSON.stringify(t), 't'))).toBe('TRANSCRIPT_INVALID')
})

test('regression: malformed nock fixtures are NOCK_FIXTURE_INVALID (nock.define threw TypeErrors)', () => {
  const defs = JSON.parse(RECORDED) as Record<string, unknown>[]
  const first = defs[0] ?? {}
  for (const broken of [[null], [{ ...first, method: 5 }], [{ ...first, scope: undefined }], [{ ...first, status: 999 }], [{ ...first, rawHeaders: { 'a b': 'x' } }], [{ ...first, body: [1] }], {}]) {
    expect(codeOf(() => parseNockDefinitions(JSON.stringify(broken), 'f.json')), JSON.stringify(broken).slice(0, 80)).toBe('NOCK_FIXTURE_INVALID')
  }
})
