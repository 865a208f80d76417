/** `flow --record DIR` then `replay DIR`: a failing run against the emulator reproduced offline, masked. In process. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { replayCommand } from '../../src/cli/commands/replay.js'
import type { Io } from '../../src/cli/output.js'
import { DEMO_APP, DEMO_USER } from '../../src/emulator/seed.js'
import { findCredentials } from '../../src/record/credential-check.js'
import { FAKE_CLIENT_SECRET, FAKE_LOGIN_URL } from '../../src/record/fakes.js'
import { TRANSCRIPT_FILE, type Transcript } from '../../src/record/transcript.js'
import { emptyDir, expect, runMain, test } from '../support/cli-main.js'

function transcriptIn(dir: string): { text: string; t: Transcript } {
  const text = readFileSync(join(dir, 'transcript.json'), 'utf8')
  return { text, t: JSON.parse(text) as Transcript }
}

test('a wrong client secret: the recorded run and its offline replay end in the same error code and exit code', { tag: '@browser' }, async ({ cli }) => {
  const cwd = emptyDir()
  const run = await cli(['flow', '--record', join(cwd, 'rec')], { env: { SF_CLIENT_SECRET: 'a-wrong-secret-for-this-test' } })
  expect(run.code).toBe(1)
  expect(run.stderr).toContain('TOKEN_INVALID_CLIENT_CREDENTIALS')
  const { text, t } = transcriptIn(join(cwd, 'rec'))
  expect(t.outcome.code).toBe('TOKEN_INVALID_CLIENT_CREDENTIALS')
  expect(t.exchanges).toHaveLength(1)
  expect(t.exchanges[0]?.request.url).toBe(`${FAKE_LOGIN_URL}/services/oauth2/token`)
  expect(new URLSearchParams(t.exchanges[0]?.request.body).get('client_secret')).toBe(FAKE_CLIENT_SECRET)
  expect(t.pages.some((p) => p.includes('RemoteAccessAuthorizationPage'))).toBe(true)
  expect(t.pages.at(-1)).toMatch(/^http:\/\/localhost:1717\/OauthRedirect\?code=aPrxFAKE/)
  // Masked: no secret of the run, nothing credential-shaped but known fakes.
  for (const secret of ['a-wrong-secret-for-this-test', DEMO_APP.clientSecret, DEMO_APP.clientId, DEMO_USER.password, DEMO_USER.orgId]) expect(text).not.toContain(secret)
  expect(findCredentials(text)).toEqual([])

  const replay = await runMain(['replay', join(cwd, 'rec'), '--json'])
  expect(replay.code).toBe(1)
  const out = JSON.parse(replay.stdout) as { reproduced: boolean; replayed: { code: string }; unused: string[] }
  expect(out).toMatchObject({ reproduced: true, replayed: { code: 'TOKEN_INVALID_CLIENT_CREDENTIALS' }, unused: [] })
})

test('a successful run replays to success; a browser failure leaves a screenshot and the page URLs', { tag: '@browser' }, async ({ cli }) => {
  const cwd = emptyDir()
  expect((await cli(['flow', '--record', join(cwd, 'ok')])).code).toBe(0)
  expect(transcriptIn(join(cwd, 'ok')).t.outcome.ok).toBe(true)
  const replay = await runMain(['replay', join(cwd, 'ok')])
  expect(replay.stdout).toContain('recorded ok, replayed ok: reproduced')
  expect(replay.code).toBe(0)

  const bad = await cli(['flow', '--record', join(cwd, 'login')], { env: { SF_PASSWORD: 'not-the-password' } })
  expect(bad.code).toBe(1)
  const { text, t } = transcriptIn(join(cwd, 'login'))
  expect(t.outcome.code).toBe('LOGIN_FAILED')
  expect(t.screenshots).toEqual(['failure.png'])
  expect(existsSync(join(cwd, 'login', 'failure.png'))).toBe(true)
  expect(t.pages[0]).toContain(`${FAKE_LOGIN_URL}/?ec=302`)
  expect(text).not.toContain('not-the-password')
})

test('replay without a transcript is a usage error that says how to make one', async () => {
  const r = await runMain(['replay', 'nowhere'])
  expect(r.code).toBe(2)
  expect(r.stderr).toMatch(/USAGE_INVALID: replay: cannot read nowhere\/transcript\.json .*sf-oauth flow --record nowhere/)
})

test('--record with a configuration error: exit 2 as without it, and no transcript (nothing ran)', async () => {
  const cwd = emptyDir()
  const r = await runMain(['flow', '--record', join(cwd, 'rec')], { env: { SF_LOGIN_URL: 'not a url' } })
  expect(r.code).toBe(2)
  expect(r.stderr).toContain('CONFIG_INVALID')
  expect(existsSync(join(cwd, 'rec', 'transcript.json'))).toBe(false)
})

test('replay exits with the registry\'s exit code of the replayed failure: 3 for a reset connection, 1 for a refusal', async () => {
  const recorded = transcriptIn(join(import.meta.dirname, '..', '..', 'fixtures', 'transcripts', 'wrong-client-secret')).t
  const x = recorded.exchanges[0]
  if (x === undefined) throw new Error('the wrong-client-secret transcript has one exchange')
  const reset: Transcript = { ...recorded, outcome: { ok: false, code: 'NETWORK_ERROR', message: 'reset' }, exchanges: [{ ...x, response: undefined, error: 'reset', errorCode: 'NETWORK_ERROR' }] }
  const cwd = emptyDir()
  for (const [name, t] of [['reset', reset], ['refused', recorded]] as const) {
    mkdirSync(join(cwd, name))
    writeFileSync(join(cwd, name, TRANSCRIPT_FILE), JSON.stringify(t))
  }
  const io: Io & { err: string } = { err: '', stdout: () => undefined, stderr: (s) => void (io.err += s) }
  expect(await replayCommand([join(cwd, 'reset')], io)).toBe(3)
  expect(io.err).toContain('✗ NETWORK_ERROR: ')
  expect(await replayCommand([join(cwd, 'refused')], io)).toBe(1)
  expect(io.err).toContain('✗ TOKEN_INVALID_CLIENT_CREDENTIALS: ')
})
