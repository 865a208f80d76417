/**
 * Lose nothing across processes: a refresh killed midway (SIGKILL while it holds the lock) and runs in
 * separate processes started together on a stale lock. Real processes, so heavy; the same rules in
 * one process are tests/cli/lose-nothing.spec.ts. The org is the standalone emulator process.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { expect } from '@playwright/test'
import type { Browser } from 'playwright'
import { emptyDir, runCli, startCli, type StandaloneEmulator, test } from '../support/cli.js'
import { runMain } from '../support/cli-main.js'

async function introspect(org: StandaloneEmulator, token: string): Promise<{ active: boolean }> {
  const res = await fetch(`${org.url}/services/oauth2/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, client_id: org.env.SF_CLIENT_ID ?? '', client_secret: org.env.SF_CLIENT_SECRET ?? '' }) })
  return (await res.json()) as { active: boolean }
}

const stored = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { refreshToken: string; accessToken: string }

/** The token set comes from a flow in process (the worker's browser): the processes are the refreshes. */
async function savedTokens(org: StandaloneEmulator, browser: Browser): Promise<string> {
  const dir = emptyDir()
  const file = join(dir, 'tokens.json')
  const r = await runMain(['flow', '--save', file], { env: org.env, browser })
  expect(r.code, r.stderr).toBe(0)
  return file
}

test('a run killed midway leaves a stale lock that the next run takes over; nothing is lost', async ({ org, browser }) => {
  const file = await savedTokens(org, browser)
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

test('runs started together on a killed run\'s stale lock take it over one at a time: the token family survives', async ({ org, browser }) => {
  test.setTimeout(120_000)
  const file = await savedTokens(org, browser)
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
