/**
 * The CLI in process: `main(argv, io, config)` in the test's worker, its output captured, its
 * environment exactly what the test passes (never process.env), the worker's browser shared (a context
 * per flow instead of a Chromium per run), and the worker's emulator as the org. Secrets stay in this
 * worker, registered with the one redactor its scrub guard uses (./scrub.ts).
 * The real process path (exit, signals, the standalone emulator as an org) is ./cli.ts.
 */
import type { Browser } from 'playwright'
import { main } from '../../src/cli/main.js'
import type { Env } from '../../src/config.js'
import type { CliResult } from './cli.js'
import { test as emulatorTest } from './test.js'

export { emptyDir } from './cli.js'
export { expect } from '@playwright/test'

export interface RunOptions {
  /** The variables the command sees: these and nothing else (no .env, no process.env). */
  readonly env?: Env
  /** Run flows in contexts of this browser (omit: the command launches its own, as the real CLI does). */
  readonly browser?: Browser | undefined
  readonly signal?: AbortSignal
}

/** Run `sf-oauth ARGS` in process. */
export async function runMain(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) }
  const code = await main(args, io, { env: opts.env ?? {}, browser: opts.browser, signal: opts.signal })
  return { code, stdout, stderr }
}

/**
 * Run `sf-oauth ARGS` in process from the directory `cwd`, as a shell there would: the command resolves
 * relative paths against the process's working directory, so the worker's is moved there for the run
 * and back after (a worker runs one test at a time).
 */
export async function runMainIn(cwd: string, args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const before = process.cwd()
  process.chdir(cwd)
  try {
    return await runMain(args, opts)
  } finally {
    process.chdir(before)
  }
}

/** The worker's emulator (reset for each test) as an org: what the standalone emulator process offers. */
export interface Org {
  readonly url: string
  /** SF_* variables that point the harness at it, as at an org. */
  readonly env: Record<string, string>
  control(action: 'configure' | 'clock' | 'reset', body: unknown): Promise<void>
  state(): Promise<{ counts: Record<string, number> }>
}

export const test = emulatorTest.extend<{ org: Org; cli: (args: string[], opts?: RunOptions) => Promise<CliResult> }>({
  org: async ({ emulator }, use) => {
    const { app, user } = emulator.app.seed
    await use({
      url: emulator.url,
      env: { SF_LOGIN_URL: emulator.url, SF_CLIENT_ID: app.clientId, SF_CLIENT_SECRET: app.clientSecret, SF_USERNAME: user.username, SF_PASSWORD: user.password },
      // The control API, in memory (emulator.request): the same routes a test reaches over HTTP.
      async control(action, body) {
        const res = await emulator.request(`/__emulator/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        if (!res.ok) throw new Error(`control ${action}: HTTP ${res.status}: ${await res.text()}`)
      },
      async state() {
        return (await (await emulator.request('/__emulator/state')).json()) as { counts: Record<string, number> }
      },
    })
  },
  /** `sf-oauth` in process with this worker's browser. */
  cli: async ({ browser }, use) => {
    await use((args, opts = {}) => runMain(args, { browser, ...opts }))
  },
})
