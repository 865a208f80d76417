/**
 * Lose nothing: runs that rotate the same refresh token concurrently end with the newest refresh token
 * stored and live at the emulator. In process (runs in one process take turns through the same file
 * lock); runs in separate processes, and a run killed midway, in tests/heavy/lose-nothing-processes.spec.ts.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'
import type { HttpFlowFixture } from '../support/test.js'
import { emptyDir, expect, type Org, runMain, test } from '../support/cli-main.js'

async function introspect(org: Org, token: string): Promise<{ active: boolean }> {
  const res = await fetch(`${org.url}/services/oauth2/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, client_id: org.env.SF_CLIENT_ID ?? '', client_secret: org.env.SF_CLIENT_SECRET ?? '' }) })
  return (await res.json()) as { active: boolean }
}

const stored = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { refreshToken: string; accessToken: string }

/** A saved token set as `flow --save` writes it (its code flow over HTTP: the browser is not under test here). */
const savedTokens = (httpFlow: HttpFlowFixture) => httpFlow.saveTo(join(emptyDir(), 'tokens.json'))

test('refresh without rotation keeps the refresh token; with rotation stores the new one first', async ({ org, httpFlow }) => {
  const file = await savedTokens(httpFlow)
  const first = stored(file).refreshToken
  const plain = await runMain(['refresh', '--file', file, '--json'], { env: org.env })
  expect(plain.code, plain.stderr).toBe(0)
  expect((JSON.parse(plain.stdout) as { rotated: boolean }).rotated).toBe(false)
  expect(stored(file).refreshToken).toBe(first)
  await org.control('configure', { rotation: true })
  const rotated = await runMain(['refresh', '--file', file, '--json'], { env: org.env })
  expect(rotated.code, rotated.stderr).toBe(0)
  expect((JSON.parse(rotated.stdout) as { rotated: boolean; refreshToken: string }).refreshToken).toMatch(/^5Aep…\(\d+ chars\)$/)
  expect(stored(file).refreshToken).not.toBe(first)
  expect((await introspect(org, stored(file).refreshToken)).active).toBe(true)
  expect((await introspect(org, first)).active).toBe(false)
  expect(statSync(file).mode & 0o777).toBe(0o600)
})

test('two concurrent rotating runs take turns: both succeed, the newest token is stored and live', async ({ org, httpFlow }) => {
  const file = await savedTokens(httpFlow)
  await org.control('configure', { rotation: true })
  const [a, b] = await Promise.all([runMain(['refresh', '--file', file], { env: org.env }), runMain(['refresh', '--file', file], { env: org.env })])
  expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0])
  expect((await org.state()).counts.tokenRequests).toBe(3) // the code exchange + two refreshes
  expect((await org.state()).counts.refreshTokens).toBe(1)
  expect((await introspect(org, stored(file).refreshToken)).active).toBe(true)
  expect(existsSync(`${file}.lock`)).toBe(false)
})

/** A pid no process has: what a killed run leaves in its lock (pid_max is at most 2^22 on Linux). */
const DEAD_PID = 4_194_304 + 1

test('runs started together on a killed run\'s stale lock take it over one at a time: the token family survives', async ({ org, httpFlow }) => {
  const file = await savedTokens(httpFlow)
  await org.control('configure', { rotation: true })
  // The lock as the previous version wrote it (pid@host), then as this one does (with a nonce).
  for (const lock of [`${DEAD_PID}@${hostname()}`, `${DEAD_PID}@${hostname()}#${randomBytes(12).toString('hex')}`]) {
    writeFileSync(`${file}.lock`, lock)
    const runs = await Promise.all(Array.from({ length: 4 }, () => runMain(['refresh', '--file', file], { env: org.env })))
    expect(runs.map((r) => r.code), runs.map((r) => r.stderr).join('')).toEqual([0, 0, 0, 0])
    expect((await introspect(org, stored(file).refreshToken)).active).toBe(true)
  }
  expect((await org.state()).counts.tokenRequests).toBe(1 + 8)
  expect((await org.state()).counts.refreshTokens).toBe(1)
  expect(readdirSync(dirname(file)).filter((f) => f.startsWith(basename(file)))).toEqual(['tokens.json'])
})

test('revoke revokes the saved refresh token', async ({ org, httpFlow }) => {
  const file = await savedTokens(httpFlow)
  const r = await runMain(['revoke', '--file', file, '--json'], { env: org.env })
  expect(r.code, r.stderr).toBe(0)
  expect((await introspect(org, stored(file).refreshToken)).active).toBe(false)
  const again = await runMain(['revoke', '--file', file], { env: org.env })
  expect(again.code).toBe(1)
  expect(again.stderr).toMatch(/^✗ REVOKE_INVALID_TOKEN: /)
})

test('a person who logged in by hand (no SF_USERNAME, no SF_PASSWORD) refreshes and revokes the saved set', async ({ org, httpFlow }) => {
  const file = await savedTokens(httpFlow)
  const person = Object.fromEntries(Object.entries(org.env).filter(([k]) => k !== 'SF_USERNAME' && k !== 'SF_PASSWORD'))
  const refreshed = await runMain(['refresh', '--file', file, '--json'], { env: person })
  expect(refreshed.code, refreshed.stderr).toBe(0)
  const curl = await runMain(['curl'], { env: person })
  expect(curl.code, curl.stderr).toBe(0)
  const revoked = await runMain(['revoke', '--file', file], { env: person })
  expect(revoked.code, revoked.stderr).toBe(0)
  expect((await introspect(org, stored(file).refreshToken)).active).toBe(false)
})
