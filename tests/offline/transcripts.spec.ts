/** Committed transcripts (recorded with `sf-oauth flow --record` against the emulator) replay offline. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { replayTranscript } from '../../src/record/replay.js'
import { parseTranscript } from '../../src/record/transcript.js'
import { expect, FIXTURES_DIR, test } from '../support/offline.js'

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
