/**
 * Issue 11, defect 12: access tokens die with the org's session timeout (2 hours by default, on the
 * emulator's clock), expired entries are pruned, and every store and the request log has a hard bound.
 */
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js'
import { expect, test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'

const HOUR = 3600 * 1000

async function tokens(em: RunningEmulator): Promise<Record<string, string>> {
  const code = codeFrom(await authorizeOverHttp(em))
  return (await postToken(em, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: em.app.seed.app.clientId, client_secret: em.app.seed.app.clientSecret })).body
}

async function refresh(em: RunningEmulator, rt: string) {
  return postToken(em, { grant_type: 'refresh_token', refresh_token: rt, client_id: em.app.seed.app.clientId, client_secret: em.app.seed.app.clientSecret })
}

/** What each resource says about an access token: userinfo, identity URL, REST API, introspection. */
async function resources(em: RunningEmulator, t: Record<string, string>) {
  const auth = { authorization: `Bearer ${t.access_token ?? ''}` }
  const userinfo = await em.request(`${em.url}/services/oauth2/userinfo`, { headers: auth })
  const identity = await em.request(t.id ?? '', { headers: auth })
  const data = await em.request(`${em.url}/services/data/v62.0/`, { headers: auth })
  const intro = await em.request(`${em.url}/services/oauth2/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: t.access_token ?? '', client_id: em.app.seed.app.clientId, client_secret: em.app.seed.app.clientSecret }) })
  return {
    userinfo: `${userinfo.status} ${userinfo.ok ? '' : await userinfo.text()}`.trim(),
    identity: `${identity.status} ${identity.ok ? '' : await identity.text()}`.trim(),
    data: `${data.status} ${data.ok ? '' : await data.text()}`.trim(),
    active: ((await intro.json()) as { active: boolean }).active,
  }
}

const LIVE = { userinfo: '200', identity: '200', data: '200', active: true }
const DEAD = { userinfo: '403 Bad_OAuth_Token', identity: '403 Bad_OAuth_Token', data: '401 [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]', active: false }

test('an access token unused for the session timeout (2 h) is dead everywhere; a refresh gets a live one', async ({ emulator }) => {
  const t = await tokens(emulator)
  emulator.app.clock.advance(2 * HOUR - 60_000)
  expect(await resources(emulator, t)).toEqual(LIVE)
  // That use renewed the session: two more hours from now.
  emulator.app.clock.advance(2 * HOUR - 60_000)
  expect(await resources(emulator, t)).toEqual(LIVE)
  emulator.app.clock.advance(2 * HOUR + 1)
  expect(await resources(emulator, t)).toEqual(DEAD)
  // Refresh tokens are not time-bound by default (valid until revoked): the client refreshes.
  const again = await refresh(emulator, t.refresh_token ?? '')
  expect(again.status).toBe(200)
  expect(await resources(emulator, { ...t, access_token: again.body.access_token ?? '' })).toEqual(LIVE)
})

test('the session timeout is a switch (configure / control API), and introspection reports its exp', async ({ emulator }) => {
  const res = await emulator.request(`${emulator.url}/__emulator/configure`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionTimeoutMs: 15 * 60_000 }) })
  expect(res.status).toBe(200)
  const t = await tokens(emulator)
  const intro = (await (await emulator.request(`${emulator.url}/services/oauth2/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: t.access_token ?? '', client_id: emulator.app.seed.app.clientId, client_secret: emulator.app.seed.app.clientSecret }) })).json()) as { exp: number }
  expect(intro.exp * 1000 - emulator.app.clock.now()).toBeGreaterThan(14 * 60_000)
  expect(intro.exp * 1000 - emulator.app.clock.now()).toBeLessThanOrEqual(15 * 60_000)
  emulator.app.clock.advance(15 * 60_000 + 1)
  expect(await resources(emulator, t)).toEqual(DEAD)
  expect(() => emulator.app.configure({ sessionTimeoutMs: 0 })).toThrow(/sessionTimeoutMs/)
})

test('after issues and a clock advance past the timeout, codes, access tokens, sessions and pending logins are pruned to 0', async ({ emulator }) => {
  const t = await tokens(emulator)
  for (let i = 0; i < 20; i++) expect((await refresh(emulator, t.refresh_token ?? '')).status).toBe(200)
  await authorizeOverHttp(emulator) // leaves an unused code
  await emulator.request(`${emulator.url}/services/oauth2/authorize?response_type=code&client_id=${encodeURIComponent(emulator.app.seed.app.clientId)}&redirect_uri=${encodeURIComponent(REDIRECT)}`, { redirect: 'manual' }) // a login never finished
  const state = async () => ((await (await emulator.request(`${emulator.url}/__emulator/state`)).json()) as { counts: Record<string, number> }).counts
  const before = await state()
  expect(before.accessTokens).toBe(21)
  expect(before.codes).toBe(1)
  expect(before.sessions).toBeGreaterThanOrEqual(2)
  expect(before.pending).toBe(1)
  const res = await emulator.request(`${emulator.url}/__emulator/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 2 * HOUR + 1 }) })
  expect(res.status).toBe(200)
  expect(await state()).toMatchObject({ accessTokens: 0, codes: 0, sessions: 0, pending: 0, verifying: 0, refreshTokens: 1 })
})

test('every store has a hard bound: the oldest entry goes first, the request log keeps its own counts', async () => {
  const em = await startEmulator({ limits: { accessTokens: 10, pending: 4, sessions: 4, hitPaths: 6, retired: 3 } })
  try {
    const t = await tokens(em)
    const issued: string[] = [t.access_token ?? '']
    for (let i = 0; i < 25; i++) {
      issued.push((await refresh(em, t.refresh_token ?? '')).body.access_token ?? '')
      expect(em.app.state.accessTokens.size).toBeLessThanOrEqual(10)
    }
    const ui = (token: string) => em.request(`${em.url}/services/oauth2/userinfo`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status)
    expect(await ui(issued.at(-1) ?? '')).toBe(200)
    expect(await ui(issued[0] ?? '')).toBe(403)
    for (let i = 0; i < 10; i++) await authorizeOverHttp(em)
    expect(em.app.state.pending.size).toBeLessThanOrEqual(4)
    expect(em.app.state.sessions.size).toBeLessThanOrEqual(4)
    for (let i = 0; i < 30; i++) await em.request(`${em.url}/nowhere/${i}`)
    expect(em.app.state.hits.size).toBeLessThanOrEqual(6)
    expect(em.app.state.hits.get('(other)')).toBeGreaterThan(0)
    expect(em.app.state.hits.get('/services/oauth2/token')).toBe(26)
    em.app.configure({ rotation: true })
    let rt = t.refresh_token ?? ''
    for (let i = 0; i < 8; i++) rt = (await refresh(em, rt)).body.refresh_token ?? ''
    expect(em.app.state.retired.size).toBe(3)
    expect((await refresh(em, rt)).status).toBe(200)
  } finally {
    await em.close()
  }
})

test('the default bounds are stated by the control API', async ({ emulator }) => {
  const s = (await (await emulator.request(`${emulator.url}/__emulator/state`)).json()) as { limits: Record<string, number>; memory: { rss: number } }
  expect(s.limits).toMatchObject({ accessTokens: 20_000, codes: 10_000, sessions: 10_000, pending: 10_000, hitPaths: 256, mailbox: 100 })
  expect(s.memory.rss).toBeGreaterThan(0)
})
