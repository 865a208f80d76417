/**
 * The package as a consumer gets it: `npm pack`, then the tarball installed into an empty project with
 * no network (its dependencies linked from this repo's node_modules, as npm would hoist them; npm's
 * offline mode needs registry metadata this machine's cache does not hold). Then the installed CLI, a
 * consumer Playwright run using `sf-oauth-harness/test`, and a strict consumer TypeScript file.
 * Heavy (pack, a browser per run, a nested Playwright run, tsc): tens of seconds.
 * The consumer's files are in tests/heavy/consumer/ (the README's examples are copied from them).
 */
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { expect } from '@playwright/test'
import { test as base } from '../support/scrub.js'
import { baseEnv } from '../support/env.js'
import { expandTexts } from '../../src/report/scrub.js'

interface Consumer {
  readonly dir: string
  /** A home of its own: the per-user cache starts empty. */
  readonly home: string
}

/** What the tarball's dependencies need at the top of node_modules (npm hoists them there). */
const LINKED = ['dotenv', 'libsodium-wrappers', 'nock', 'otpauth', 'playwright', 'playwright-core', 'undici', '@playwright/test', 'typescript', '@types/node']

const test = base.extend<object, { consumer: Consumer }>({
  consumer: [
    async ({}, use) => {
      const work = mkdtempSync(join(tmpdir(), 'sf-oauth-consumer-'))
      // dist/ is built by the run's setup; --ignore-scripts: no second build inside the test.
      execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { stdio: 'ignore' })
      const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))
      if (tarball === undefined) throw new Error('npm pack wrote no tarball')
      const dir = join(work, 'project')
      const pkgDir = join(dir, 'node_modules', 'sf-oauth-harness')
      mkdirSync(pkgDir, { recursive: true })
      execFileSync('tar', ['xzf', join(work, tarball), '-C', pkgDir, '--strip-components=1'])
      for (const name of LINKED) {
        mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true })
        symlinkSync(realpathSync(join('node_modules', name)), join(dir, 'node_modules', name))
      }
      mkdirSync(join(dir, 'node_modules', '.bin'))
      symlinkSync('../sf-oauth-harness/bin/sf-oauth.js', join(dir, 'node_modules', '.bin', 'sf-oauth'))
      cpSync('tests/heavy/consumer', dir, { recursive: true })
      cpSync(join(dir, 'consumer-package.json'), join(dir, 'package.json'))
      const home = join(work, 'home')
      mkdirSync(home)
      await use({ dir, home })
    },
    { scope: 'worker', timeout: 120_000 },
  ],
})

test.setTimeout(180_000)

/** The consumer's environment: its own home, and Playwright's browsers looked for in an empty folder, so only a system browser (or SF_BROWSER_PATH) can be found. */
function consumerEnv(c: Consumer, extra: Record<string, string> = {}): Record<string, string> {
  const browsers = join(c.home, 'no-playwright-browsers')
  mkdirSync(browsers, { recursive: true })
  return baseEnv({ HOME: c.home, XDG_CACHE_HOME: join(c.home, '.cache'), PLAYWRIGHT_BROWSERS_PATH: browsers, npm_config_update_notifier: 'false', ...extra })
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

test('installed CLI: npx sf-oauth flow --json runs the embedded emulator with no setup step, tokens masked', async ({ consumer }) => {
  const env = consumerEnv(consumer)
  const r = await run('npx', ['--no-install', 'sf-oauth', 'flow', '--json', '--save', 'tokens.json'], consumer.dir, env)
  expect(r.code, r.stderr).toBe(0)
  const out = JSON.parse(r.stdout) as { ok: boolean; tokens: { refreshToken: string; accessToken: string } }
  expect(out.ok).toBe(true)
  expect(out.tokens.refreshToken).toMatch(/^.{4}…\(\d+ chars\)$/)
  // Written relative to the current directory, 0600; the browser found is cached per user, not in the package.
  const saved = JSON.parse(readFileSync(join(consumer.dir, 'tokens.json'), 'utf8')) as { refreshToken: string }
  expect(saved.refreshToken.startsWith(out.tokens.refreshToken.slice(0, 4))).toBe(true)
  expect(r.stdout).not.toContain(saved.refreshToken)
  expect(statSync(join(consumer.dir, 'tokens.json')).mode & 0o777).toBe(0o600)
  expect(existsSync(join(consumer.home, '.cache', 'sf-oauth-harness', 'browser.json'))).toBe(true)
  expect(existsSync(join(consumer.dir, 'node_modules', 'sf-oauth-harness', '.sf-oauth'))).toBe(false)
})

test('installed CLI: sf-oauth setup runs the packaged setup script (browser step only) and names itself when nothing is found', async ({ consumer }) => {
  const env = consumerEnv(consumer, { XDG_CACHE_HOME: join(consumer.home, 'setup-cache') })
  const r = await run('npx', ['--no-install', 'sf-oauth', 'setup'], consumer.dir, env)
  expect(r.code, r.stderr).toBe(0)
  expect(r.stdout).toMatch(/✓ browser /)
  expect(r.stdout + r.stderr).not.toMatch(/npm ci|built dist/)
  expect(JSON.parse(readFileSync(join(consumer.home, 'setup-cache', 'sf-oauth-harness', 'browser.json'), 'utf8'))).toHaveProperty('executablePath')
  const bad = await run('npx', ['--no-install', 'sf-oauth', 'flow', '--json'], consumer.dir, { ...env, SF_BROWSER_PATH: '/nonexistent/chrome' })
  expect(bad.code).toBe(3)
  expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, error: { code: 'BROWSER_NOT_FOUND' } })
  expect(bad.stdout).toContain('npx sf-oauth setup')
})

test('a consumer Playwright suite: salesforceTokens and the matchers pass, steps read like the CLI, output scrubbed', async ({ consumer }) => {
  const env = consumerEnv(consumer)
  const r = await run(process.execPath, ['node_modules/@playwright/test/cli.js', 'test', '--workers=1'], consumer.dir, env)
  expect(r.code, r.stdout.slice(-3000) + r.stderr.slice(-2000)).toBe(0)
  expect(r.stdout).toContain('3 passed')

  const steps = readFileSync(join(consumer.dir, 'steps.txt'), 'utf8')
  for (const title of ['authorize: open the authorize URL', 'login: username and password', 'consent: Allow', 'callback: redirect to SF_REDIRECT_URI caught', 'token request > → HTTP 200', 'validate: 11 checks > signature: pass']) {
    expect(steps, title).toContain(`| test.step | Before Hooks > Fixture "salesforceTokens" > ${title}`)
  }
  // The worker's tokens were obtained once: one flow for three tests.
  expect(steps.match(/> login: username and password\n/g)?.length).toBe(1)

  // The careless test printed and attached the access token: nowhere in output, reports, traces.
  const token = readFileSync(join(consumer.dir, 'raw-token.txt'), 'utf8')
  expect(token.length).toBeGreaterThan(20)
  const haystacks: [string, string][] = [['stdout', r.stdout], ['stderr', r.stderr]]
  let traces = 0
  for (const sub of ['test-results', 'report']) {
    for (const e of readdirSync(join(consumer.dir, sub), { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue
      if (e.name.endsWith('.zip')) traces++
      const full = join(e.parentPath, e.name)
      haystacks.push(...expandTexts(full, readFileSync(full)))
    }
  }
  expect(traces).toBeGreaterThan(0)
  expect(haystacks.filter(([, text]) => text.includes(token)).map(([where]) => where)).toEqual([])
  expect(r.stdout).toMatch(/access token: 00D5…\(\d+ chars\)/)
})

test('a consumer TypeScript file importing the API typechecks under strict (declarations included)', async ({ consumer }) => {
  const r = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], consumer.dir, consumerEnv(consumer))
  expect(r.code, r.stdout + r.stderr).toBe(0)
})
