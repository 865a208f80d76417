/**
 * Lose nothing: runs that rotate the same refresh token, concurrently or killed midway, end with the
 * newest refresh token stored and live at the (standalone) emulator.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { expect } from '@playwright/test'
import { emptyDir, runCli, startCli, type StandaloneEmulator, test } from '../support/cli.js'

async function introspect(org: StandaloneEmulator, token: string): Promise<{ active: boolean }> {
  const res = await fetch(`${org.url}/services/oauth2/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, client_id: org.env.SF_CLIENT_ID ?? '', client_secret: org.env.SF_CLIENT_SECRET ?? '' }) })
  return (await res.json()) as { active: boolean }
}

const stored = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { refreshToken: string; accessToken: string }

async function savedTokens(org: StandaloneEmulator): Promise<string> {
  const dir = emptyDir()
  const file = join(dir, 'tokens.json')
  const r = await runCli(['flow', '--save', file], { env: org.env, cwd: dir })
  expect(r.code, r.stderr).toBe(0)
  return file
}

test('refresh without rotation keeps the refresh token; with rotation stores the new one first', async ({ org }) => {
  const file = await savedTokens(org)
  const first = stored(file).refreshToken
  const plain = await runCli(['refresh', '--file', file, '--json'], { env: org.env })
  expect(plain.code, plain.stderr).toBe(0)
  expect((JSON.parse(plain.stdout) as { rotated: boolean }).rotated).toBe(false)
  expect(stored(file).refreshToken).toBe(first)
  await org.control('configure', { rotation: true })
  const rotated = await runCli(['refresh', '--file', file, '--json'], { env: org.env })
  expect(rotated.code, rotated.stderr).toBe(0)
  expect((JSON.parse(rotated.stdout) as { rotated: boolean; refreshToken: string }).refreshToken).toMatch(/^5Aep…\(\d+ chars\)$/)
  expect(stored(file).refreshToken).not.toBe(first)
  expect((await introspect(org, stored(file).refreshToken)).active).toBe(true)
  expect((await introspect(org, first)).active).toBe(false)
  expect(statSync(file).mode & 0o777).toBe(0o600)
})

test('two concurrent rotating runs take turns: both succeed, the newest token is stored and live', async ({ org }) => {
  const file = await savedTokens(org)
  await org.control('configure', { rotation: true })
  const [a, b] = await Promise.all([runCli(['refresh', '--file', file], { env: org.env }), runCli(['refresh', '--file', file], { env: org.env })])
  expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0])
  expect((await org.state()).counts.tokenRequests).toBe(3) // the code exchange + two refreshes
  expect((await org.state()).counts.refreshTokens).toBe(1)
  expect((await introspect(org, stored(file).refreshToken)).active).toBe(true)
  expect(existsSync(`${file}.lock`)).toBe(false)
})

test('a run killed midway leaves a stale lock that the next run takes over; nothing is lost', async ({ org }) => {
  const file = await savedTokens(org)
  const before = stored(file).refreshToken
  await org.control('configure', { rotation: true, fault: 'slow', tokenDelayMs: 2_000, faultTimes: 1 })
  const victim = startCli(['refresh', '--file', file], { env: org.env })
  // Kill it once its refresh has reached the emulator (and while it holds the lock).
  await expect.poll(async () => (await org.state()).counts.tokenRequests, { timeout: 10_000, intervals: [50] }).toBe(2)
  expect(existsSync(`${file}.lock`)).toBe(true)
  victim.kill('SIGKILL')
  await new Promise((r) => victim.once('exit', r))
  expect(stored(file).refreshToken).toBe(before)
  const next = await runCli(['refresh', '--file', file], { env: org.env })
  expect(next.code, next.stderr).toBe(0)
  expect(stored(file).refreshToken).not.toBe(before)
  expect((await introspect(org, stored(file).refreshToken)).active).toBe(true)
  expect((await org.state()).counts.refreshTokens).toBe(1)
  expect(existsSync(`${file}.lock`)).toBe(false)
})

/** The pid of a process that has exited: what a killed run leaves in its lock. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((r) => child.once('exit', r))
  return child.pid ?? 0
}

test('runs started together on a killed run\'s stale lock take it over one at a time: the token family survives', async ({ org }) => {
  test.setTimeout(120_000)
  const file = await savedTokens(org)
  await org.control('configure', { rotation: true })
  const dead = await deadPid()
  // The lock as the previous version wrote it (pid@host), then as this one does (with a nonce).
  for (const lock of [`${dead}@${hostname()}`, `${dead}@${hostname()}#${randomBytes(12).toString('hex')}`]) {
    writeFileSync(`${file}.lock`, lock)
    const runs = await Promise.all(Array.from({ length: 4 }, () => runCli(['refresh', '--file', file], { env: org.env })))
    expect(runs.map((r) => r.code), runs.map((r) => r.stderr).join('')).toEqual([0, 0, 0, 0])
    expect((await introspect(org, stored(file).refreshToken)).active).toBe(true)
  }
  expect((await org.state()).counts.tokenRequests).toBe(1 + 8)
  expect((await org.state()).counts.refreshTokens).toBe(1)
  expect(readdirSync(dirname(file)).filter((f) => f.startsWith(basename(file)))).toEqual(['tokens.json'])
})

test('revoke revokes the saved refresh token', async ({ org }) => {
  const file = await savedTokens(org)
  const r = await runCli(['revoke', '--file', file, '--json'], { env: org.env })
  expect(r.code, r.stderr).toBe(0)
  expect((await introspect(org, stored(file).refreshToken)).active).toBe(false)
  const again = await runCli(['revoke', '--file', file], { env: org.env })
  expect(again.code).toBe(1)
  expect(again.stderr).toMatch(/^✗ REVOKE_INVALID_TOKEN: /)
})
