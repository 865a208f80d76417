import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { redactor } from '../../src/redact.js'
import { baseEnv } from './env.js'
import { test as playwrightTest } from './scrub.js'

export const BIN = fileURLToPath(new URL('../../bin/sf-oauth.js', import.meta.url))

export interface CliResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * A fresh empty working directory: no .env, no files, so tests see exactly what they pass. Inside the
 * test's output directory, so the scrub reporter and the artifact scan see what the CLI wrote there.
 */
export function emptyDir(): string {
  let base: string
  try {
    base = playwrightTest.info().outputPath()
    mkdirSync(base, { recursive: true })
  } catch {
    base = tmpdir()
  }
  return mkdtempSync(join(base, 'cwd-'))
}

export interface CliOptions {
  readonly env?: Record<string, string>
  readonly cwd?: string
  /** Written to stdin, which then ends (a pasted line); no stdin at all when absent. */
  readonly input?: string
}

export function startCli(args: string[], opts: CliOptions = {}): ChildProcess {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? emptyDir(), env: baseEnv(opts.env), stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] })
  if (opts.input !== undefined) child.stdin?.end(opts.input)
  return child
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const child = startCli(args, opts)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

/** Read lines from a child's stdout until one matches. */
export function waitForLine(child: ChildProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = ''
    const onData = (c: Buffer) => {
      buf += c.toString()
      const line = buf.split('\n').find((l) => re.test(l))
      if (line !== undefined) {
        child.stdout?.off('data', onData)
        resolve(line)
      }
    }
    child.stdout?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`exited ${code} before printing ${re}`)))
  })
}

export interface StandaloneEmulator {
  readonly url: string
  /** SF_* variables that point the harness at it, as at an org. */
  readonly env: Record<string, string>
  control(action: 'configure' | 'clock' | 'reset', body: unknown): Promise<void>
  state(): Promise<{ counts: Record<string, number> }>
  stop(): Promise<number | null>
}

/** `sf-oauth emulator --json` as its own process: the live code path's stand-in org. `args`: more options (--callback-url). */
export async function startStandaloneEmulator(args: string[] = []): Promise<StandaloneEmulator> {
  const child = startCli(['emulator', '--json', ...args])
  const info = JSON.parse(await waitForLine(child, /^\{/)) as { url: string; clientId: string; clientSecret: string; username: string; password: string }
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  // Its secrets live in another process: register them here, so the worker's scrub (./scrub.ts) masks
  // them in whatever the CLI writes into the test's output directory.
  for (const v of [info.clientSecret, info.password]) redactor.add(v)
  return {
    url: info.url,
    env: { SF_LOGIN_URL: info.url, SF_CLIENT_ID: info.clientId, SF_CLIENT_SECRET: info.clientSecret, SF_USERNAME: info.username, SF_PASSWORD: info.password },
    async control(action, body) {
      const res = await fetch(`${info.url}/__emulator/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      if (!res.ok) throw new Error(`control ${action}: HTTP ${res.status}`)
    },
    async state() {
      return (await (await fetch(`${info.url}/__emulator/state`)).json()) as { counts: Record<string, number> }
    },
    async stop() {
      child.kill('SIGTERM')
      return exited
    },
  }
}

/** CLI specs' `test`: `org` is an emulator run as its own process, as an org would be, one per test. */
export const test = playwrightTest.extend<{ org: StandaloneEmulator }>({
  org: async ({}, use) => {
    const org = await startStandaloneEmulator()
    await use(org)
    await org.stop()
  },
})
