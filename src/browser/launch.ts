/**
 * Finds the browser at run time (the browser session, src/browser/session.ts, launches it), with cheap existsSync checks: SF_BROWSER_PATH; the record
 * `npm run setup` writes in a clone (.sf-oauth/browser.json); the per-user cache (what an earlier run or
 * `sf-oauth setup` found, for an installed package); Playwright's own Chromium; a system Chromium or
 * Chrome (and Debian's headless shell). Nothing found: BROWSER_NOT_FOUND naming `npx sf-oauth setup`,
 * which also installs one where it can.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type LaunchOptions } from 'playwright'
import { userCacheDir } from '../config.js'
import { InfraError } from '../errors.js'
import { writeFileAtomic } from '../store/atomic.js'

/** Flags for closed networks and CI: no background traffic, no first-run UI. */
export const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
] as const

/** Next to package.json (src/browser and dist/browser are both two levels down), whatever the cwd. */
export const BROWSER_RECORD = fileURLToPath(new URL('../../.sf-oauth/browser.json', import.meta.url))

/** The per-user record of the browser found (scripts/setup.mjs writes the same file for an installed copy). */
export function browserCacheFile(): string {
  return join(userCacheDir(), 'browser.json')
}

/** What to run when no browser is found: works in a clone and in a project that installed the package. */
export const SETUP_COMMAND = 'npx sf-oauth setup'

/**
 * System browsers, most specific first (must match SYSTEM_BROWSERS in scripts/setup-lib.mjs); Debian's
 * headless shell last: enough for headless runs when no full browser is installed.
 */
export const SYSTEM_BROWSERS: Readonly<Record<string, readonly string[]>> = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/chromium-headless-shell'],
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'],
}

/**
 * Chromium's headless shell, next to a system Chromium (Debian/Ubuntu package `chromium-headless-shell`).
 * Full Chromium's headless mode is the whole browser without a window: measured here (npm run bench) a
 * flow costs about 2.6 s of CPU in it and 0.8 s in the shell, the same Blink and V8 without the browser
 * UI layers. Playwright uses its own shell the same way for headless runs.
 */
export const HEADLESS_SHELLS: Readonly<Record<string, string>> = {
  '/usr/bin/chromium': '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium-browser': '/usr/bin/chromium-headless-shell',
}

/** The headless shell to use instead of `executable` for a headless run, when one is installed. */
export function headlessShellFor(executable: string | undefined): string | undefined {
  const shell = executable === undefined ? undefined : HEADLESS_SHELLS[executable]
  return shell !== undefined && existsSync(shell) ? shell : undefined
}

/** Where the browser came from; `executablePath` undefined means Playwright's own Chromium. */
export interface BrowserChoice {
  readonly executablePath: string | undefined
  readonly source: 'SF_BROWSER_PATH' | 'record' | 'cache' | 'playwright' | 'system'
}

/** The ladder's seams, for tests: which files exist, where the records are. */
export interface BrowserLookup {
  readonly exists?: (path: string) => boolean
  readonly records?: readonly string[]
  readonly playwrightChromium?: string
  readonly platform?: string
}

/**
 * The run-time ladder (see the module comment): SF_BROWSER_PATH, the setup's record, the per-user cache,
 * Playwright's Chromium, then system Chromium/Chrome and the Debian headless shell.
 *
 * @throws `BROWSER_NOT_FOUND` (exit 3) when none exists; the message names `npx sf-oauth setup`.
 */
export function findBrowser(explicit?: string, lookup: BrowserLookup = {}): BrowserChoice {
  const exists = lookup.exists ?? existsSync
  if (explicit !== undefined) {
    if (!exists(explicit)) {
      throw new InfraError('BROWSER_NOT_FOUND', `SF_BROWSER_PATH points to ${explicit}, which does not exist: fix the path, or unset it and run \`${SETUP_COMMAND}\``)
    }
    return { executablePath: explicit, source: 'SF_BROWSER_PATH' }
  }
  const playwright = lookup.playwrightChromium ?? chromium.executablePath()
  const [record, cache] = lookup.records ?? [BROWSER_RECORD, browserCacheFile()]
  for (const [file, source] of [[record, 'record'], [cache, 'cache']] as const) {
    const recorded = file === undefined ? undefined : readRecord(file)
    if (recorded === 'playwright' && exists(playwright)) return { executablePath: undefined, source }
    if (recorded !== undefined && recorded !== 'playwright' && exists(recorded)) return { executablePath: recorded, source }
  }
  if (exists(playwright)) return { executablePath: undefined, source: 'playwright' }
  const system = (SYSTEM_BROWSERS[lookup.platform ?? process.platform] ?? []).find((p) => exists(p))
  if (system !== undefined) return { executablePath: system, source: 'system' }
  throw new InfraError('BROWSER_NOT_FOUND', `no Chromium found: run \`${SETUP_COMMAND}\` (finds or installs one), or set SF_BROWSER_PATH to a Chromium or Chrome executable`)
}

/** `undefined` means Playwright's own Chromium. */
export function resolveExecutable(explicit?: string): string | undefined {
  return findBrowser(explicit).executablePath
}

function readRecord(file: string): string | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { executablePath?: unknown }
    return typeof data.executablePath === 'string' && data.executablePath !== '' ? data.executablePath : undefined
  } catch {
    return undefined
  }
}

/** Remember a browser the ladder found and that started, per user: the next run reads one file. Best effort. */
export async function rememberBrowser(choice: BrowserChoice): Promise<void> {
  if (choice.source !== 'playwright' && choice.source !== 'system') return
  const file = browserCacheFile()
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 })
    await writeFileAtomic(file, `${JSON.stringify({ executablePath: choice.executablePath ?? 'playwright', source: choice.source, checkedAt: new Date().toISOString() })}\n`, 0o644)
  } catch {
    // A read-only home changes nothing: the ladder runs again next time.
  }
}

/**
 * Playwright launch options for the harness's browser: the executable `findBrowser` chose (or
 * `browserPath`), headless unless told otherwise, and the flags the flow relies on.
 *
 * @throws `BROWSER_NOT_FOUND` (exit 3) when no browser is found; the message names `npx sf-oauth setup`.
 */
export function launchOptions(opts: { browserPath?: string | undefined; headless?: boolean | undefined } = {}): LaunchOptions {
  const headless = opts.headless ?? true
  const resolved = findBrowser(opts.browserPath).executablePath
  // SF_BROWSER_PATH is taken as given; a recorded system Chromium runs headless as its shell.
  const executablePath = (headless && opts.browserPath === undefined ? headlessShellFor(resolved) : undefined) ?? resolved
  // The sandbox needs user namespaces; as root (containers, CI) Chromium refuses to start with it.
  const noSandbox = typeof process.getuid === 'function' && process.getuid() === 0
  return {
    headless,
    args: [...CHROMIUM_ARGS],
    chromiumSandbox: !noSandbox,
    ...(executablePath === undefined ? {} : { executablePath }),
  }
}

