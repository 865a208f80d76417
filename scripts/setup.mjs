#!/usr/bin/env node
// @ts-check
/**
 * Installs whatever is missing, idempotently: npm dependencies, the build, a browser. Plain Node with
 * no dependencies, so it runs before `npm ci`. Fast path (nothing missing) is a few stat calls.
 * In an installed copy (`npx sf-oauth setup` in a project that installed the package) only the browser
 * step runs, and its record goes to the per-user cache, not into the package.
 *   --quiet       print only actions and problems
 *   --no-browser  skip the browser step
 *   --check       change nothing; exit 1 when something is missing
 * Exit codes: 0 ok; 1 missing (--check); 2 usage; 3 cannot install (the message says what to run).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { decideBrowser, decideHeadlessShell, isInstalledCopy, needsBuild, needsNpmCi, userCacheDir } from './setup-lib.mjs'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const args = new Set(process.argv.slice(2))
const known = new Set(['--quiet', '--no-browser', '--check', '--help', '-h'])
for (const a of args) {
  if (!known.has(a)) {
    process.stderr.write(`setup: unknown option ${a}: use --quiet, --no-browser, --check or --help\n`)
    process.exit(2)
  }
}
if (args.has('--help') || args.has('-h')) {
  process.stdout.write('Usage: node scripts/setup.mjs [--quiet] [--no-browser] [--check]\n')
  process.exit(0)
}
const quiet = args.has('--quiet')
const check = args.has('--check')
const env = process.env
let missing = 0
const installed = isInstalledCopy({ root, exists: existsSync })
/** Packages as this copy resolves them (hoisted next to it when installed). */
const requireHere = createRequire(join(root, 'package.json'))

/** @param {string} msg */
const say = (msg) => process.stdout.write(`${msg}\n`)
/** @param {string} msg @param {number} t0 @param {boolean} acted */
const done = (msg, t0, acted) => {
  if (!quiet || acted) say(`✓ ${msg} (${Math.round(performance.now() - t0)} ms)`)
}
/** @param {string} msg @returns {never} */
const fail = (msg) => {
  process.stderr.write(`✗ setup: ${msg}\n`)
  process.exit(3)
}
/** @param {string} p */
const mtime = (p) => {
  try {
    return statSync(p).mtimeMs
  } catch {
    return undefined
  }
}
/** @param {string} cmd @param {string[]} argv @param {number} [timeoutMs] */
const run = (cmd, argv, timeoutMs) => spawnSync(cmd, argv, { cwd: root, stdio: ['ignore', 2, 2], timeout: timeoutMs, killSignal: 'SIGKILL', shell: process.platform === 'win32' })

// 1. Node
const [major = 0, minor = 0, patch = 0] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && (minor < 18 || (minor === 18 && patch < 1)))) fail(`Node ${process.versions.node} is too old: install Node 20.18.1 or newer`)

// 2. npm dependencies (a clone only: an installed copy came with them)
let t0 = performance.now()
const marker = join(root, 'node_modules', '.package-lock.json')
const linkedModules = (() => {
  try {
    return lstatSync(join(root, 'node_modules')).isSymbolicLink()
  } catch {
    return false
  }
})()
if (installed) {
  // Nothing to do: npm installed the dependencies and the package ships dist/.
} else if (needsNpmCi({ lockMtime: mtime(join(root, 'package-lock.json')), installedMtime: mtime(marker) })) {
  if (linkedModules) {
    // A linked node_modules (a git worktree sharing another checkout's) belongs to that checkout: npm ci
    // here would empty it for everyone using it.
    say('! node_modules is a link: not running npm ci; run it in the checkout it points to')
  } else if (check) {
    say('✗ dependencies missing or older than package-lock.json')
    missing++
  } else {
    say('… npm ci')
    const r = run('npm', ['ci', '--no-audit', '--no-fund'])
    if (r.status !== 0) fail('npm ci failed: see the output above, fix it, and run npm run setup again')
    const now = new Date()
    if (existsSync(marker)) utimesSync(marker, now, now)
    done('dependencies installed', t0, true)
  }
} else done('dependencies up to date', t0, false)

// 3. Build (dist/ from src/)
t0 = performance.now()
/** @param {string} dir @returns {number | undefined} */
const newest = (dir) => {
  if (!existsSync(dir)) return undefined
  let max = 0
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) max = Math.max(max, statSync(join(e.parentPath, e.name)).mtimeMs)
  }
  return max
}
const newestSource = Math.max(newest(join(root, 'src')) ?? 0, mtime(join(root, 'tsconfig.build.json')) ?? 0, mtime(join(root, 'tsconfig.json')) ?? 0)
if (installed) {
  // Nothing to do: dist/ is part of the package.
} else if (needsBuild({ newestSource, newestOutput: newest(join(root, 'dist')) })) {
  if (check) {
    say('✗ dist/ missing or older than src/')
    missing++
  } else if (existsSync(join(root, 'node_modules', 'typescript'))) {
    const r = run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')])
    if (r.status !== 0) fail('the build failed: see the compiler output above')
    done('built dist/', t0, true)
  }
} else done('build up to date', t0, false)

// 4. Browser
if (!args.has('--no-browser')) {
  t0 = performance.now()
  const record = installed ? join(userCacheDir({ env, platform: process.platform, home: homedir() }), 'browser.json') : join(root, '.sf-oauth', 'browser.json')
  /** @returns {string | undefined} */
  const recorded = () => {
    try {
      const data = JSON.parse(readFileSync(record, 'utf8'))
      return typeof data.executablePath === 'string' ? data.executablePath : undefined
    } catch {
      return undefined
    }
  }
  const prev = recorded()
  const explicit = env.SF_BROWSER_PATH
  const fresh = prev !== undefined && (explicit === undefined || explicit === '' || explicit === prev) && (prev === 'playwright' ? playwrightChromium() !== undefined : existsSync(prev))
  if (fresh) done(`browser ${prev}`, t0, false)
  else if (check) {
    say('✗ no browser recorded')
    missing++
  } else {
    let triedPlaywrightInstall = false
    let triedApt = false
    for (;;) {
      const decision = decideBrowser({ env, exists: existsSync, platform: process.platform, playwrightChromium: playwrightChromium(), isRoot: process.getuid?.() === 0, osRelease: readOsRelease(), triedPlaywrightInstall, triedApt })
      if (decision.kind === 'error') fail(decision.message)
      if (decision.kind === 'use') {
        const exe = decision.executablePath === 'playwright' ? playwrightChromium() : decision.executablePath
        const v = exe === undefined ? { status: 1 } : spawnSync(exe, ['--version'], { timeout: 10_000, encoding: 'utf8' })
        if (v.status !== 0) fail(`${exe ?? 'the browser'} does not run (--version failed): set SF_BROWSER_PATH to a working Chromium or Chrome`)
        mkdirSync(dirname(record), { recursive: true })
        const tmp = `${record}.${process.pid}.tmp`
        writeFileSync(tmp, `${JSON.stringify({ executablePath: decision.executablePath, source: decision.source, checkedAt: new Date().toISOString() })}\n`)
        renameSync(tmp, record)
        done(`browser ${decision.executablePath} (${decision.source})`, t0, true)
        const shell = decideHeadlessShell({ executablePath: decision.executablePath, exists: existsSync, isRoot: process.getuid?.() === 0, osRelease: readOsRelease() })
        if (shell.kind === 'apt') {
          // Optional speed-up (headless runs use it when present): a failure changes nothing.
          t0 = performance.now()
          say(`… ${shell.command}`)
          const r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium-headless-shell'], { stdio: ['ignore', 2, 2], env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 300_000 })
          if (r.status === 0 && existsSync(shell.path)) done(`headless shell ${shell.path}`, t0, true)
          else say('  apt-get could not install chromium-headless-shell; headless runs use the full browser')
        }
        break
      }
      if (decision.plan === 'playwright') {
        triedPlaywrightInstall = true
        const limit = Number(env.SF_SETUP_INSTALL_TIMEOUT_MS ?? 180_000)
        say(`… ${decision.command} (at most ${Math.round(limit / 1000)} s)`)
        const r = run(process.execPath, [join(dirname(requireHere.resolve('playwright/package.json')), 'cli.js'), 'install', 'chromium'], limit)
        if (r.status !== 0) say(`  Playwright could not download its Chromium (${r.error ? 'timed out' : `exit ${r.status}`}); trying the next way`)
      } else if (decision.plan === 'apt') {
        triedApt = true
        say('… apt-get install -y chromium')
        const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' }
        spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 2, 2], env: aptEnv, timeout: 300_000 })
        const r = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 2, 2], env: aptEnv, timeout: 600_000 })
        if (r.status !== 0) say('  apt-get could not install chromium; trying the next way')
      } else {
        fail(`no Chromium or Chrome found and none could be installed: run \`${decision.command}\`, or set SF_BROWSER_PATH`)
      }
    }
  }
}
process.exit(missing > 0 ? 1 : 0)

/** Playwright's own Chromium, read from its registry without loading Playwright. */
function playwrightChromium() {
  try {
    const browsersJson = join(dirname(requireHere.resolve('playwright-core/package.json')), 'browsers.json')
    const data = JSON.parse(readFileSync(browsersJson, 'utf8'))
    const chromium = data.browsers.find((/** @type {{name: string}} */ b) => b.name === 'chromium')
    if (!chromium) return undefined
    const base = env.PLAYWRIGHT_BROWSERS_PATH && env.PLAYWRIGHT_BROWSERS_PATH !== '0'
      ? env.PLAYWRIGHT_BROWSERS_PATH
      : process.platform === 'darwin' ? join(homedir(), 'Library', 'Caches', 'ms-playwright')
      : process.platform === 'win32' ? join(env.LOCALAPPDATA ?? homedir(), 'ms-playwright')
      : join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ms-playwright')
    const dir = join(base, `chromium-${chromium.revision}`)
    const exe = process.platform === 'darwin'
      ? ['chrome-mac-arm64', 'chrome-mac'].map((d) => join(dir, d, 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing')).find(existsSync)
      : process.platform === 'win32' ? join(dir, 'chrome-win64', 'chrome.exe')
      : ['chrome-linux64', 'chrome-linux'].map((d) => join(dir, d, 'chrome')).find(existsSync)
    return exe !== undefined && existsSync(exe) ? exe : undefined
  } catch {
    return undefined
  }
}

function readOsRelease() {
  try {
    return readFileSync('/etc/os-release', 'utf8')
  } catch {
    return ''
  }
}
