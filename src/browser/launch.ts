/**
 * Finds the browser and says how to launch it (the browser session, src/browser/session.ts, launches).
 * `npm run setup` (scripts/setup.mjs) searches the machine and records its choice in
 * .sf-oauth/browser.json; here we only honour SF_BROWSER_PATH, that record, and Playwright's own
 * Chromium, so start-up stays cheap.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium, type LaunchOptions } from 'playwright'
import { InfraError } from '../errors.js'

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

/** `undefined` means Playwright's own Chromium. */
export function resolveExecutable(explicit?: string): string | undefined {
  if (explicit !== undefined) {
    if (!existsSync(explicit)) {
      throw new InfraError('BROWSER_NOT_FOUND', `SF_BROWSER_PATH points to ${explicit}, which does not exist: fix the path or unset it and run npm run setup`)
    }
    return explicit
  }
  const recorded = readRecord()
  if (recorded !== undefined && (recorded === 'playwright' || existsSync(recorded))) {
    return recorded === 'playwright' ? undefined : recorded
  }
  if (existsSync(chromium.executablePath())) return undefined
  throw new InfraError('BROWSER_NOT_FOUND', 'no Chromium found: run `npm run setup` (or set SF_BROWSER_PATH to a Chromium or Chrome executable)')
}

function readRecord(): string | undefined {
  try {
    const data = JSON.parse(readFileSync(BROWSER_RECORD, 'utf8')) as { executablePath?: unknown }
    return typeof data.executablePath === 'string' ? data.executablePath : undefined
  } catch {
    return undefined
  }
}

export function launchOptions(opts: { browserPath?: string | undefined; headless?: boolean | undefined } = {}): LaunchOptions {
  const headless = opts.headless ?? true
  const resolved = resolveExecutable(opts.browserPath)
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
