/** Committed transcripts (recorded with `sf-oauth flow --record` against the emulator) replay offline. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { replayTranscript } from '../../src/record/replay.js'
import { FAKE_CLIENT_ID, FAKE_INSTANCE_URL, FAKE_LOGIN_URL, FAKE_ORG_ID, fakeAccessToken, fakeCode, fakeUserId } from '../../src/record/fakes.js'
import { parseTranscript, TRANSCRIPT_FORMAT, type Transcript, type TranscriptExchange } from '../../src/record/transcript.js'
import { expect, FIXTURES_DIR, loadFixture, test } from '../support/offline.js'

function load(name: string) {
  const file = join(FIXTURES_DIR, 'transcripts', name, 'transcript.json')
  return parseTranscript(readFileSync(file, 'utf8'), file)
}

test('a wrong client secret, recorded against the emulator, replays to TOKEN_INVALID_CLIENT_CREDENTIALS', async () => {
  const t = load('wrong-client-secret')
  expect(t.outcome.code).toBe('TOKEN_INVALID_CLIENT_CREDENTIALS')
  const r = await replayTranscript(t, { keepNetConnectOff: true })
  expect(r).toMatchObject({ ok: false, code: 'TOKEN_INVALID_CLIENT_CREDENTIALS', calls: ['TOKEN_INVALID_CLIENT_CREDENTIALS'], unused: [] })
})

test('a successful run replays to success, its signature verifying with the fake secret', async () => {
  const r = await replayTranscript(load('success'), { keepNetConnectOff: true })
  expect(r).toMatchObject({ ok: true, calls: ['ok'], unused: [] })
})

test('a transcript edited to answer differently no longer reproduces (the replay really checks the answer)', async () => {
  const t = load('success')
  const x = t.exchanges[0]
  if (x?.response === undefined) throw new Error('the success transcript has a token answer')
  const broken = { ...t, exchanges: [{ ...x, response: { ...x.response, body: x.response.body.replace(/"signature":"[^"]+"/, '"signature":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="') } }] }
  expect(await replayTranscript(broken, { keepNetConnectOff: true })).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' })
})

function synthetic(exchanges: TranscriptExchange[], code: string | undefined): Transcript {
  return { format: TRANSCRIPT_FORMAT, recordedAt: new Date(0).toISOString(), loginUrl: FAKE_LOGIN_URL, clientId: FAKE_CLIENT_ID, expectRefreshToken: true, outcome: { ok: code === undefined, code, message: undefined }, pages: [], exchanges, screenshots: [] }
}

const tokenRequest = { method: 'POST', url: `${FAKE_LOGIN_URL}/services/oauth2/token`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code: fakeCode(1), client_id: FAKE_CLIENT_ID }).toString() }
const userinfoRequest = { method: 'GET', url: `${FAKE_INSTANCE_URL}/services/oauth2/userinfo`, headers: { authorization: `Bearer ${fakeAccessToken(1)}` }, body: undefined }

test('recorded network failures replay as such: a time-out and a reset', async () => {
  const timeout = synthetic([{ request: tokenRequest, response: undefined, error: 'timed out', errorCode: 'NETWORK_TIMEOUT', attempt: 1, durationMs: 30_000 }], 'NETWORK_TIMEOUT')
  // The recorded time-out is replayed as an answer that never comes in time: wait 300 ms for it, not the default 3 s.
  expect(await replayTranscript(timeout, { keepNetConnectOff: true, timeoutMs: 300 })).toMatchObject({ code: 'NETWORK_TIMEOUT', unused: [] })
  const reset = synthetic([{ request: tokenRequest, response: undefined, error: 'reset', errorCode: 'NETWORK_ERROR', attempt: 1, durationMs: 5 }], 'NETWORK_ERROR')
  expect(await replayTranscript(reset, { keepNetConnectOff: true })).toMatchObject({ code: 'NETWORK_ERROR', unused: [] })
})

test('a retried call replays with its retries: 503 with Retry-After, then the answer, both recorded answers used', async () => {
  const body = loadFixture('userinfo/200-success').response?.body ?? ''
  const t = synthetic([
    { request: userinfoRequest, response: { status: 503, headers: { 'content-type': 'text/html', 'retry-after': '0' }, body: '<html>down</html>' }, error: undefined, errorCode: undefined, attempt: 1, durationMs: 5 },
    { request: userinfoRequest, response: { status: 200, headers: { 'content-type': 'application/json;charset=UTF-8' }, body }, error: undefined, errorCode: undefined, attempt: 2, durationMs: 5 },
  ], undefined)
  expect(await replayTranscript(t, { keepNetConnectOff: true })).toMatchObject({ ok: true, calls: ['ok'], unused: [] })
})

test('a recorded identity call with version=latest (check --identity-version) replays with its query', async () => {
  const body = loadFixture('identity/200-success').response?.body ?? ''
  const identityRequest = { method: 'GET', url: `${FAKE_LOGIN_URL}/id/${FAKE_ORG_ID}/${fakeUserId(0)}?version=latest`, headers: { authorization: `Bearer ${fakeAccessToken(1)}` }, body: undefined }
  const t = synthetic([{ request: identityRequest, response: { status: 200, headers: { 'content-type': 'application/json;charset=UTF-8' }, body }, error: undefined, errorCode: undefined, attempt: 1, durationMs: 5 }], undefined)
  expect(await replayTranscript(t, { keepNetConnectOff: true })).toMatchObject({ ok: true, calls: ['ok'], unused: [] })
})
