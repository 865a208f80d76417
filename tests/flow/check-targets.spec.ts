/**
 * checkTargets as a library call (what `sf-oauth check` runs), against the worker's emulator, no browser:
 * verdicts per target with their codes, callbacks as verdicts arrive, errors that stop the run before it
 * starts, and the identity URL asked with `version` (check --identity-version).
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkTargets, HarnessError, writeTokenFile, type TargetResult } from '../../src/index.js'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { redactor } from '../../src/redact.js'
import { savedTokenSet } from '../../src/store/token-store.js'
import { runMain } from '../support/cli-main.js'
import { expect, test } from '../support/emulator.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from '../support/http-flow.js'

/** A token file as `flow --save` writes it, obtained over HTTP in memory (no browser), in a fresh directory. */
async function savedTokens(em: RunningEmulator, name = 'a.json'): Promise<{ dir: string; file: string }> {
  const { app, user } = em.app.seed
  const code = codeFrom(await authorizeOverHttp(em))
  const res = await postToken(em, { grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: REDIRECT })
  expect(res.status, res.text).toBe(200)
  const b = res.body
  for (const v of [b.access_token, b.refresh_token]) redactor.add(v)
  const dir = mkdtempSync(join(tmpdir(), 'check-targets-'))
  const file = join(dir, name)
  await writeTokenFile(file, savedTokenSet({ loginUrl: em.url, clientId: app.clientId, username: user.username }, {
    accessToken: b.access_token ?? '', refreshToken: b.refresh_token, signature: b.signature ?? '', scope: b.scope ?? '', idToken: undefined,
    instanceUrl: b.instance_url ?? '', id: b.id ?? '', tokenType: b.token_type ?? '', issuedAt: b.issued_at ?? '', orgId: '', userId: '',
  }))
  return { dir, file }
}

function targetsFile(dir: string, em: RunningEmulator, targets: Record<string, unknown>[]): string {
  const path = join(dir, 'targets.json')
  writeFileSync(path, JSON.stringify({ targets: targets.map((t) => ({ loginUrl: em.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: 'a.json', ...t })) }))
  return path
}

const envOf = (em: RunningEmulator) => ({ SF_APP_ID: em.app.seed.app.clientId, SF_APP_SECRET: em.app.seed.app.clientSecret, SF_TIMEOUT_MS: '5000' })

test('a verdict per target, in file order, each reported as it is known; a refused token is its code, not a throw', async ({ emulator }) => {
  const { dir } = await savedTokens(emulator)
  copyFileSync(join(dir, 'a.json'), join(dir, 'b.json'))
  writeFileSync(join(dir, 'bogus.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8')) as object, refreshToken: '5Aep861NotARealTokenNotARealTokenNotARealToken' }), { mode: 0o600 })
  const path = targetsFile(dir, emulator, [{ name: 'good' }, { name: 'introspected', verify: 'introspect', tokenFile: 'b.json' }, { name: 'revoked', tokenFile: 'bogus.json' }])
  const seen: TargetResult[] = []
  const run = await checkTargets({ targets: path, env: envOf(emulator), onResult: (r) => seen.push(r) })
  expect(run.ok).toBe(false)
  expect(run.mode).toBe('refresh')
  expect(run.targets.map((t) => [t.name, t.ok, t.error?.code])).toEqual([['good', true, undefined], ['introspected', true, undefined], ['revoked', false, 'TOKEN_REFRESH_TOKEN_EXPIRED']])
  expect(run.targets[0]?.detail).toMatch(/^refresh ok, signature ok, userinfo demo\.user@example\.com/)
  expect(run.targets[1]?.detail).toMatch(/introspect active/)
  expect(seen.map((r) => r.name).sort()).toEqual(['good', 'introspected', 'revoked'])
  expect(run.revoked).toEqual([])
  expect(run.peakConcurrent).toBeGreaterThanOrEqual(1)
})

test('revokeAfter: the access tokens the run obtained are revoked; the saved refresh token still works', async ({ emulator }) => {
  const { dir } = await savedTokens(emulator)
  const path = targetsFile(dir, emulator, [{ name: 'a' }])
  const first = await checkTargets({ targets: path, env: envOf(emulator), revokeAfter: true })
  expect(first.revoked).toEqual([{ name: 'a', kind: 'access token', ok: true }])
  expect(first.ok).toBe(true)
  expect((await checkTargets({ targets: path, env: envOf(emulator) })).ok).toBe(true)
})

test('the run cannot start: CONFIG_INVALID for flow without a user, a write-back without tokenSecret, an unset variable, a concurrency out of range', async ({ emulator }) => {
  const { dir } = await savedTokens(emulator)
  const path = targetsFile(dir, emulator, [{ name: 'a' }])
  const codeOf = async (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (e instanceof HarnessError ? e.code : String(e)))
  // No browser is launched: the missing usernameEnv/passwordEnv is found first.
  expect(await codeOf(checkTargets({ targets: path, env: envOf(emulator), flow: true }))).toBe('CONFIG_INVALID')
  expect(await codeOf(checkTargets({ targets: path, env: envOf(emulator), writeBack: { apiUrl: 'https://api.github.com', repository: 'o/r', token: 'x' } }))).toBe('CONFIG_INVALID')
  expect(await codeOf(checkTargets({ targets: path, env: { SF_APP_ID: emulator.app.seed.app.clientId } }))).toBe('CONFIG_INVALID')
  expect(await codeOf(checkTargets({ targets: join(dir, 'missing.json'), env: envOf(emulator) }))).toBe('USAGE_INVALID')
  for (const concurrency of [0, 1.5, Number.NaN, 33]) expect(await codeOf(checkTargets({ targets: path, env: envOf(emulator), concurrency })), String(concurrency)).toBe('CONFIG_INVALID')
})

test('identityVersion: the identity URL answers with every {version} filled, latest or the asked number; a bad version is the target\'s IDENTITY_VERSION_REFUSED', async ({ emulator }) => {
  const { dir } = await savedTokens(emulator)
  const path = targetsFile(dir, emulator, [{ name: 'a' }])
  const latest = await checkTargets({ targets: path, env: envOf(emulator), identityVersion: 'latest' })
  expect(latest.targets[0]?.detail).toMatch(/, identity version=latest: urls at v\d{2,3}\.\d$/)
  const pinned = await checkTargets({ targets: path, env: envOf(emulator), identityVersion: '58' })
  expect(pinned.targets[0]?.detail).toMatch(/identity version=58: urls at v58\.0$/)
  const bad = await checkTargets({ targets: path, env: envOf(emulator), identityVersion: 'v58' })
  expect(bad.targets[0]?.error?.code).toBe('IDENTITY_VERSION_REFUSED')
  expect(bad.ok).toBe(false)
})

test('check --identity-version latest in process: the line names the filled version; a malformed value is USAGE_INVALID before anything is sent', async ({ emulator }) => {
  const { dir } = await savedTokens(emulator)
  const path = targetsFile(dir, emulator, [{ name: 'a' }])
  const r = await runMain(['check', '--targets', path, '--identity-version', 'latest'], { env: envOf(emulator) })
  expect(r.code, r.stderr).toBe(0)
  expect(r.stdout).toMatch(/^✓ a +refresh ok, signature ok, userinfo .*, identity version=latest: urls at v\d+\.\d \(\d+ ms\)$/m)
  const bad = await runMain(['check', '--targets', path, '--identity-version', 'v58; rm', '--json'], { env: envOf(emulator) })
  expect(bad.code).toBe(2)
  expect((JSON.parse(bad.stdout) as { error: { code: string } }).error.code).toBe('USAGE_INVALID')
})
