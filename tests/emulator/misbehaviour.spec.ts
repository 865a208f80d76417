/** The emulator's misbehaviour switches over plain HTTP, set through the control API as another process would. */
import { createHmac } from 'node:crypto'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { expect, test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'

async function configure(em: RunningEmulator, behaviour: Record<string, unknown>): Promise<number> {
  const res = await em.request(`${em.url}/__emulator/configure`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(behaviour) })
  await res.body?.cancel()
  return res.status
}

const creds = (em: RunningEmulator) => ({ client_id: em.app.seed.app.clientId, client_secret: em.app.seed.app.clientSecret })
const exchange = async (em: RunningEmulator) => postToken(em, { grant_type: 'authorization_code', code: codeFrom(await authorizeOverHttp(em)), redirect_uri: REDIRECT, ...creds(em) })
const signatureOf = (em: RunningEmulator, body: Record<string, unknown>) => createHmac('sha256', em.app.seed.app.clientSecret).update(String(body.id) + String(body.issued_at)).digest('base64')

test('each switch is validated: bad values are a 400, good ones are reported back', async ({ emulator }) => {
  for (const bad of [{ callbackState: 'maybe' }, { callbackUri: 'javascript:alert(1)' }, { callbackUri: 'http://x/#frag' }, { tamperSignature: 'yes' }, { dropInstanceUrl: true }, { sendExpiresIn: 'code' }, { refreshUnavailable: 2 }]) {
    expect(await configure(emulator, bad), JSON.stringify(bad)).toBe(400)
  }
  expect(await configure(emulator, { callbackState: 'forged', callbackUri: 'http://127.0.0.1:9/x', tamperSignature: 'all', dropInstanceUrl: 'refresh_token', sendExpiresIn: 'authorization_code', refreshUnavailable: 'always' })).toBe(200)
  expect(emulator.app.behaviour()).toMatchObject({ callbackState: 'forged', callbackUri: 'http://127.0.0.1:9/x', tamperSignature: 'all', dropInstanceUrl: 'refresh_token', sendExpiresIn: 'authorization_code', refreshUnavailable: 'always' })
  expect(await configure(emulator, { callbackUri: null })).toBe(200)
  expect(emulator.app.behaviour().callbackUri).toBeNull()
})

test('callbackState forged and callbackUri: the redirect carries another state, to another URI', async ({ emulator }) => {
  await configure(emulator, { callbackState: 'forged', callbackUri: 'http://127.0.0.1:9/Elsewhere' })
  // Deny first: after an Allow the app is approved and the consent page is skipped.
  const denied = new URL(await authorizeOverHttp(emulator, { state: 'mine', decision: 'deny' }))
  expect(denied.searchParams.get('error')).toBe('access_denied')
  expect(denied.searchParams.get('state')).toMatch(/^forged-/)
  const location = new URL(await authorizeOverHttp(emulator, { state: 'mine' }))
  expect(location.origin + location.pathname).toBe('http://127.0.0.1:9/Elsewhere')
  expect(location.searchParams.get('state')).toMatch(/^forged-/)
  expect(location.searchParams.get('code')).toMatch(/^aPrx/)
})

test('tamperSignature, dropInstanceUrl, sendExpiresIn alter only the grant they name', async ({ emulator }) => {
  await configure(emulator, { tamperSignature: 'authorization_code', dropInstanceUrl: 'authorization_code', sendExpiresIn: 'authorization_code' })
  const bad = await exchange(emulator)
  expect(bad.status).toBe(200)
  expect(bad.body.signature).toMatch(/^[A-Za-z0-9+/]{43}=$/)
  expect(bad.body.signature).not.toBe(signatureOf(emulator, bad.body))
  expect(bad.body).not.toHaveProperty('instance_url')
  expect(bad.body).toHaveProperty('expires_in', 7200)
  // The refresh answer is untouched by switches set for the code exchange.
  const refreshed = await postToken(emulator, { grant_type: 'refresh_token', refresh_token: bad.body.refresh_token ?? '', ...creds(emulator) })
  expect(refreshed.body.signature).toBe(signatureOf(emulator, refreshed.body))
  expect(refreshed.body.instance_url).toBe(emulator.url)
  expect(refreshed.body).not.toHaveProperty('expires_in')
})

test('refreshUnavailable once: one 503 with Retry-After before anything is processed, then a normal answer', async ({ emulator }) => {
  const rt = (await exchange(emulator)).body.refresh_token ?? ''
  await configure(emulator, { rotation: true, refreshUnavailable: 'once' })
  const first = await postToken(emulator, { grant_type: 'refresh_token', refresh_token: rt, ...creds(emulator) })
  expect(first.status).toBe(503)
  expect(first.headers.get('retry-after')).toBe('1')
  // Not processed: the token was not rotated away, so sending it again works.
  const second = await postToken(emulator, { grant_type: 'refresh_token', refresh_token: rt, ...creds(emulator) })
  expect(second.status).toBe(200)
  expect(second.body.refresh_token).not.toBe(rt)
  expect(emulator.app.behaviour().refreshUnavailable).toBe('never')
})

test('refreshUnavailable always: every refresh is a 503; the code exchange is not affected', async ({ emulator }) => {
  await configure(emulator, { refreshUnavailable: 'always' })
  const t = await exchange(emulator)
  expect(t.status).toBe(200)
  for (let i = 0; i < 2; i++) expect((await postToken(emulator, { grant_type: 'refresh_token', refresh_token: t.body.refresh_token ?? '', ...creds(emulator) })).status).toBe(503)
})
