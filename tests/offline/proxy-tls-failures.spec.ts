/**
 * A run that failed at a proxy or at TLS replays to the same code (src/record/replay.ts rebuilds the
 * failure as undici and node:tls report it, and the client classifies it again): PROXY_TUNNEL_REFUSED
 * with the recorded status, NETWORK_TLS_UNTRUSTED.
 */
import { replayTranscript } from '../../src/record/replay.js'
import { FAKE_CLIENT_ID, FAKE_LOGIN_URL, fakeCode } from '../../src/record/fakes.js'
import { TRANSCRIPT_FORMAT, type Transcript } from '../../src/record/transcript.js'
import { expect, test } from '../support/offline.js'

const tokenRequest = { method: 'POST', url: `${FAKE_LOGIN_URL}/services/oauth2/token`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code: fakeCode(1), client_id: FAKE_CLIENT_ID }).toString() }

/** A transcript of one token request that failed with `code` and `error` (the harness's message). */
function failed(code: string, error: string): Transcript {
  return { format: TRANSCRIPT_FORMAT, recordedAt: new Date(0).toISOString(), loginUrl: FAKE_LOGIN_URL, clientId: FAKE_CLIENT_ID, expectRefreshToken: true, outcome: { ok: false, code, message: undefined }, pages: [], exchanges: [{ request: tokenRequest, response: undefined, error, errorCode: code, attempt: 1, durationMs: 5 }], screenshots: [] }
}

test('a tunnel the proxy refused replays as PROXY_TUNNEL_REFUSED with its status', async () => {
  const r = await replayTranscript(failed('PROXY_TUNNEL_REFUSED', 'POST https://login.example/services/oauth2/token: the proxy of HTTPS_PROXY refused to open a tunnel (HTTP 407): …'), { keepNetConnectOff: true })
  expect(r).toMatchObject({ ok: false, code: 'PROXY_TUNNEL_REFUSED', unused: [] })
  expect(r.message).toContain('HTTP 407')
})

test('a certificate not trusted replays as NETWORK_TLS_UNTRUSTED', async () => {
  expect(await replayTranscript(failed('NETWORK_TLS_UNTRUSTED', 'not trusted'), { keepNetConnectOff: true })).toMatchObject({ ok: false, code: 'NETWORK_TLS_UNTRUSTED', unused: [] })
})
