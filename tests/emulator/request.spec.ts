/**
 * emulator.request(): the emulator's handler as Request → Response in memory. The same answers as over
 * its socket (checked side by side here; tests/emulator/hardening.spec.ts keeps the socket-only cases),
 * and a connection the emulator cuts fails the request as fetch fails.
 */
import { expect, test } from '../support/emulator.js'
import { REDIRECT } from '../support/http-flow.js'

/** Headers that depend on the connection or the moment, not on the handler. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding'])
/** The pending authorization's id is random per request. */
const headersOf = (res: Response) => [...res.headers].filter(([k]) => !TRANSPORT.has(k)).map(([k, v]) => [k, v.replace(/source%3D[\w-]+/, 'source%3D…')])

test('the same answers in memory as over the socket: JSON, a redirect with cookies cleared, a plain-text refusal, a 404', async ({ emulator }) => {
  const authorize = (clientId: string) => `${emulator.url}/services/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(clientId)}&redirect_uri=${encodeURIComponent(REDIRECT)}`
  for (const url of [`${emulator.url}/.well-known/openid-configuration`, authorize(emulator.app.seed.app.clientId), authorize('nope'), `${emulator.url}/no/such/page`]) {
    const wire = await fetch(url, { redirect: 'manual' })
    const memory = await emulator.request(url, { redirect: 'manual' })
    expect([memory.status, headersOf(memory)], url).toEqual([wire.status, headersOf(wire)])
    expect(await memory.text(), url).toBe(await wire.text())
  }
})

test('a path is resolved against the emulator\'s URL; a POST body and its content type arrive', async ({ emulator }) => {
  const res = await emulator.request('/services/oauth2/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code: 'aPrxNope' }) })
  expect(res.status).toBe(400)
  expect(await res.json()).toMatchObject({ error: expect.stringMatching(/^invalid_/) })
  const discovery = (await (await emulator.request('/.well-known/openid-configuration')).json()) as { issuer: string }
  expect(discovery.issuer).toBe(emulator.url)
})

test('a connection the emulator cuts mid-answer fails like fetch; an aborted request ends a slow answer', async ({ emulator }) => {
  emulator.app.configure({ fault: 'reset' })
  await expect(emulator.request('/services/oauth2/token', { method: 'POST', body: 'grant_type=x' })).rejects.toThrow('fetch failed')
  emulator.app.configure({ fault: 'slow', tokenDelayMs: 60_000 })
  await expect(emulator.request('/services/oauth2/token', { method: 'POST', body: 'grant_type=x', signal: AbortSignal.timeout(200) })).rejects.toThrow('fetch failed')
  // The cut connection reached the handler: the slow answer gave up (nothing processed, no token issued).
  expect(emulator.app.state.hits.get('/services/oauth2/token')).toBe(2)
})
