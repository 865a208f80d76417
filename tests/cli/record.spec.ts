/** `sf-oauth record` (npm run record) against the worker's emulator as an org, in process (nock records this worker's fetch). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEMO_APP, DEMO_USER } from '../../src/emulator/seed.js'
import { verifySignature } from '../../src/oauth/signature.js'
import { findCredentials } from '../../src/record/credential-check.js'
import { FAKE_CLIENT_SECRET, FAKE_LOGIN_URL } from '../../src/record/fakes.js'
import { emptyDir, expect, runMain, test } from '../support/cli-main.js'

test('records every token call masked, signatures verifying with the fake secret, and the file replays offline', { tag: '@browser' }, async ({ org: em, cli }) => {
  {
    const cwd = emptyDir()
    const r = await cli(['record', '--out', join(cwd, 'rec')], { env: em.env })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/refresh after revoke\s+TOKEN_REFRESH_TOKEN_EXPIRED/)
    const asJson = await cli(['record', '--out', join(cwd, 'rec-json'), '--json'], { env: em.env })
    expect(asJson.code).toBe(0)
    expect(JSON.parse(asJson.stdout)).toMatchObject({ ok: true, calls: [{ name: 'code exchange', outcome: 'ok' }, { name: 'refresh', outcome: 'ok' }, { name: 'userinfo', outcome: 'ok' }, { name: 'introspect', outcome: 'ok' }, { name: 'revoke', outcome: 'ok' }, { name: 'refresh after revoke', outcome: 'TOKEN_REFRESH_TOKEN_EXPIRED' }] })
    const text = readFileSync(join(cwd, 'rec', 'web-server-flow.json'), 'utf8')
    const defs = JSON.parse(text) as { scope: string; path: string; response?: Record<string, string> }[]
    expect(defs.map((d) => d.path)).toEqual(['/services/oauth2/token', '/services/oauth2/token', '/services/oauth2/userinfo', '/services/oauth2/introspect', '/services/oauth2/revoke', '/services/oauth2/token'])
    expect(new Set(defs.map((d) => d.scope))).toEqual(new Set([FAKE_LOGIN_URL]))
    for (const secret of [em.url, DEMO_APP.clientSecret, DEMO_APP.clientId, DEMO_USER.password, DEMO_USER.orgId, DEMO_USER.userId, DEMO_USER.username]) expect(text).not.toContain(secret)
    expect(findCredentials(text)).toEqual([])
    const signed = defs.flatMap((d) => (d.response?.signature === undefined ? [] : [d.response]))
    expect(signed).toHaveLength(2)
    for (const s of signed) expect(verifySignature(FAKE_CLIENT_SECRET, s.id ?? '', s.issued_at ?? '', s.signature ?? '')).toBe(true)

    const replay = await runMain(['replay', join(cwd, 'rec/web-server-flow.json'), '--json'])
    expect(JSON.parse(replay.stdout)).toEqual({ file: join(cwd, 'rec/web-server-flow.json'), calls: ['ok', 'ok', 'ok', 'ok', 'ok', 'TOKEN_REFRESH_TOKEN_EXPIRED'], unused: [] })
    expect(replay.code).toBe(0)
  }
})

test('without an org it refuses with CONFIG_INVALID naming SF_LOGIN_URL', async () => {
  const r = await runMain(['record'])
  expect(r.code).toBe(2)
  expect(r.stderr).toContain('CONFIG_INVALID: SF_LOGIN_URL is not set')
})

test('--json: one object, for a failure too', async () => {
  const r = await runMain(['record', '--json'])
  expect(r.code).toBe(2)
  expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } })
})
