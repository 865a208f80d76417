/**
 * The emulator's minimal REST API (src/emulator/routes/rest.ts): the version list, a version's resources
 * with `identity`, the User row, queries of Organization and User, INVALID_TYPE for objects it lacks
 * (ScratchOrgInfo: "not a Dev Hub"), and 401 INVALID_SESSION_ID for a revoked or expired token.
 */
import { expect, test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'
import type { RunningEmulator } from '../../src/emulator/index.js'

async function tokens(em: RunningEmulator): Promise<Record<string, string>> {
  const code = codeFrom(await authorizeOverHttp(em))
  return (await postToken(em, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: em.app.seed.app.clientId, client_secret: em.app.seed.app.clientSecret })).body
}

const SESSION_DEAD = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]

test('GET /services/data lists versions without a session, newest last', async ({ emulator }) => {
  const list = (await (await fetch(`${emulator.url}/services/data`)).json()) as { label: string; url: string; version: string }[]
  expect(list[0]).toEqual({ label: "Winter '11", url: '/services/data/v20.0', version: '20.0' })
  expect(list.at(-1)).toEqual({ label: "Summer '25", url: '/services/data/v64.0', version: '64.0' })
})

test('a version\'s resources name the identity URL; the User row and the Organization query answer the seeded org', async ({ emulator }) => {
  const t = await tokens(emulator)
  const auth = { authorization: `Bearer ${t.access_token ?? ''}` }
  const res = (await (await fetch(`${emulator.url}/services/data/v64.0`, { headers: auth })).json()) as Record<string, string>
  expect(res.identity).toBe(t.id)
  expect(res.query).toBe('/services/data/v64.0/query')
  const user = emulator.app.seed.user
  const row = (await (await fetch(`${emulator.url}/services/data/v64.0/sobjects/User/${user.userId}`, { headers: auth })).json()) as Record<string, unknown>
  expect(row).toMatchObject({ attributes: { type: 'User' }, Id: user.userId, Username: user.username })
  const q = encodeURIComponent('SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix FROM Organization WHERE Id = \'' + user.orgId + '\'')
  const org = (await (await fetch(`${emulator.url}/services/data/v64.0/query?q=${q}`, { headers: auth })).json()) as { totalSize: number; records: Record<string, unknown>[] }
  expect(org.totalSize).toBe(1)
  expect(Object.keys(org.records[0] ?? {})).toEqual(['attributes', 'Name', 'InstanceName', 'IsSandbox', 'TrialExpirationDate', 'NamespacePrefix'])
})

test('objects it does not have: INVALID_TYPE in a query (ScratchOrgInfo), NOT_FOUND for a row; unknown fields INVALID_FIELD', async ({ emulator }) => {
  const t = await tokens(emulator)
  const auth = { authorization: `Bearer ${t.access_token ?? ''}` }
  const q = await fetch(`${emulator.url}/services/data/v64.0/query?q=${encodeURIComponent('SELECT Id FROM ScratchOrgInfo')}`, { headers: auth })
  expect(q.status).toBe(400)
  expect(((await q.json()) as { errorCode: string }[])[0]?.errorCode).toBe('INVALID_TYPE')
  const row = await fetch(`${emulator.url}/services/data/v64.0/sobjects/Account/001000000000001AAA`, { headers: auth })
  expect([row.status, ((await row.json()) as { errorCode: string }[])[0]?.errorCode]).toEqual([404, 'NOT_FOUND'])
  const field = await fetch(`${emulator.url}/services/data/v64.0/query?q=${encodeURIComponent('SELECT Bogus FROM User')}`, { headers: auth })
  expect(((await field.json()) as { errorCode: string }[])[0]?.errorCode).toBe('INVALID_FIELD')
})

test('a revoked, expired or missing token is 401 INVALID_SESSION_ID on every resource', async ({ emulator }) => {
  const t = await tokens(emulator)
  const auth = { authorization: `Bearer ${t.access_token ?? ''}` }
  const paths = ['/services/data/v64.0', `/services/data/v64.0/sobjects/User/${emulator.app.seed.user.userId}`, `/services/data/v64.0/query?q=${encodeURIComponent('SELECT Name FROM Organization')}`]
  for (const p of paths) expect((await fetch(`${emulator.url}${p}`)).status, p).toBe(401)
  emulator.app.clock.advance(emulator.app.behaviour().sessionTimeoutMs + 1)
  for (const p of paths) {
    const r = await fetch(`${emulator.url}${p}`, { headers: auth })
    expect([r.status, await r.json()], p).toEqual([401, SESSION_DEAD])
  }
  const t2 = await tokens(emulator)
  await fetch(`${emulator.url}/services/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: t2.refresh_token ?? '' }) })
  expect((await fetch(`${emulator.url}/services/data/v64.0`, { headers: { authorization: `Bearer ${t2.access_token ?? ''}` } })).status).toBe(401)
})
