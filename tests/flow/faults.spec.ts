/**
 * Retry policy against the emulator's faults: retry only what certainly was not processed; never send
 * a code exchange (or a refresh) again once the server may have processed it. The code flow runs over
 * HTTP (tests/support/test.ts httpFlow): these are token-endpoint rules, no page logic is under test.
 */
import { createHttp } from '../../src/http/client.js'
import { userinfo } from '../../src/client/operations.js'
import { redactor } from '../../src/redact.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'
import { codeOf, expect, test } from '../support/test.js'

const tokenHits = (em: { app: { state: { hits: Map<string, number> } } }) => em.app.state.hits.get('/services/oauth2/token') ?? 0

test('a 503 on the code exchange is not retried: SERVER_UNAVAILABLE after exactly one POST', async ({ httpFlow, emulator }) => {
  emulator.app.configure({ fault: 'http503', faultTimes: 1 })
  expect(await codeOf(httpFlow.run())).toBe('SERVER_UNAVAILABLE')
  expect(tokenHits(emulator)).toBe(1)
})

test('a 500 maintenance page on the code exchange is SERVER_UNAVAILABLE', async ({ httpFlow, emulator }) => {
  emulator.app.configure({ fault: 'http500', faultTimes: 1 })
  expect(await codeOf(httpFlow.run())).toBe('SERVER_UNAVAILABLE')
})

test('a reset mid-answer is NETWORK_ERROR and the exchange is not re-sent', async ({ httpFlow, emulator }) => {
  emulator.app.configure({ fault: 'reset', faultTimes: 1 })
  expect(await codeOf(httpFlow.run())).toBe('NETWORK_ERROR')
  expect(tokenHits(emulator)).toBe(1)
})

test('an answer slower than SF_TIMEOUT_MS is NETWORK_TIMEOUT, sent once', async ({ httpFlow, emulator }) => {
  emulator.app.configure({ fault: 'slow', tokenDelayMs: 4_000, faultTimes: 1 })
  // The emulator answers in memory within milliseconds; 600 ms is a time-out with room to spare.
  const http = createHttp({ timeoutMs: 600 })
  try {
    expect(await codeOf(httpFlow.run({}, { http }))).toBe('NETWORK_TIMEOUT')
  } finally {
    await http.close()
  }
  expect(tokenHits(emulator)).toBe(1)
})

test('malformed JSON, an HTML page and rate_limit_exceeded from the token endpoint are named', async ({ httpFlow, emulator }) => {
  emulator.app.configure({ fault: 'malformed-json', faultTimes: 1 })
  expect(await codeOf(httpFlow.run())).toBe('RESPONSE_MALFORMED_JSON')
  emulator.app.configure({ fault: 'html', faultTimes: 1 })
  expect(await codeOf(httpFlow.run())).toBe('RESPONSE_NOT_JSON')
  emulator.app.configure({ fault: 'rate-limit', faultTimes: 1 })
  expect(await codeOf(httpFlow.run())).toBe('TOKEN_RATE_LIMITED')
})

test('a 503 with Retry-After on an idempotent call (userinfo) is retried and succeeds', async ({ emulator }) => {
  const code = codeFrom(await authorizeOverHttp(emulator))
  const t = await postToken(emulator, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: emulator.app.seed.app.clientId, client_secret: emulator.app.seed.app.clientSecret })
  emulator.app.configure({ fault: 'http503', faultTimes: 1, faultPaths: ['/services/oauth2/userinfo'] })
  const waits: number[] = []
  const http = createHttp({ timeoutMs: 5_000, sleep: (ms) => { waits.push(ms); return Promise.resolve() } })
  try {
    const info = await userinfo({ http, secrets: redactor }, emulator.url, t.body.access_token ?? '')
    expect(info.preferredUsername).toBe('demo.user@example.com')
  } finally {
    await http.close()
  }
  expect(waits).toEqual([1000])
  expect(emulator.app.state.hits.get('/services/oauth2/userinfo')).toBe(2)
})
