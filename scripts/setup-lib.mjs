// @ts-check
/**
 * Decisions of scripts/setup.mjs, as pure functions so they can be tested without touching the
 * machine. Plain Node, no dependencies: this runs before `npm ci`.
 */
import { isAbsolute, join } from 'node:path'

/** System browsers, most specific first; Debian's headless shell last (must match src/browser/launch.ts). */
export const SYSTEM_BROWSERS = {
  linux: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/usr/bin/chromium-headless-shell'],
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe'],
}

/**
 * @typedef {{ kind: 'use', source: string, executablePath: string }
 *   | { kind: 'error', message: string }
 *   | { kind: 'install', plan: 'playwright' | 'apt' | 'manual', command: string }} BrowserDecision
 */

/**
 * The browser ladder: SF_BROWSER_PATH; Playwright's own Chromium; a system Chromium/Chrome; then an
 * install plan (Playwright's installer, apt as root on Debian/Ubuntu, or the command the user must run).
 * @param {{ env: Record<string, string | undefined>, exists: (p: string) => boolean, platform: string,
 *   playwrightChromium: string | undefined, isRoot: boolean, osRelease: string, triedPlaywrightInstall?: boolean,
 *   triedApt?: boolean }} o
 * @returns {BrowserDecision}
 */
export function decideBrowser(o) {
  const explicit = o.env.SF_BROWSER_PATH
  if (explicit !== undefined && explicit !== '') {
    if (o.exists(explicit)) return { kind: 'use', source: 'SF_BROWSER_PATH', executablePath: explicit }
    return { kind: 'error', message: `SF_BROWSER_PATH is ${explicit}, which does not exist: fix the path or unset it` }
  }
  if (o.playwrightChromium !== undefined && o.exists(o.playwrightChromium)) return { kind: 'use', source: 'playwright', executablePath: 'playwright' }
  const system = /** @type {Record<string, string[]>} */ (SYSTEM_BROWSERS)[o.platform] ?? []
  const found = system.find((p) => o.exists(p))
  if (found !== undefined) return { kind: 'use', source: 'system', executablePath: found }
  if (!o.triedPlaywrightInstall) return { kind: 'install', plan: 'playwright', command: 'npx playwright install chromium' }
  const debian = /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(o.osRelease)
  if (debian && o.isRoot && !o.triedApt) return { kind: 'install', plan: 'apt', command: 'apt-get install -y chromium' }
  const command = debian ? 'sudo apt-get install -y chromium' : o.platform === 'darwin' ? 'npx playwright install chromium (or install Google Chrome)' : 'npx playwright install chromium'
  return { kind: 'install', plan: 'manual', command }
}

/** Chromium's headless shell next to a system Chromium (must match HEADLESS_SHELLS in src/browser/launch.ts). */
export const HEADLESS_SHELLS = {
  '/usr/bin/chromium': '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium-browser': '/usr/bin/chromium-headless-shell',
}

/**
 * Headless runs use the shell when it is there (a third of the CPU per flow of full Chromium's headless
 * mode): install it with apt next to a system Chromium as root on Debian/Ubuntu; never required.
 * @param {{ executablePath: string, exists: (p: string) => boolean, isRoot: boolean, osRelease: string }} o
 * @returns {{ kind: 'none' } | { kind: 'present', path: string } | { kind: 'apt', path: string, command: string }}
 */
export function decideHeadlessShell(o) {
  const shell = /** @type {Record<string, string>} */ (HEADLESS_SHELLS)[o.executablePath]
  if (shell === undefined) return { kind: 'none' }
  if (o.exists(shell)) return { kind: 'present', path: shell }
  const debian = /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(o.osRelease)
  return debian && o.isRoot ? { kind: 'apt', path: shell, command: 'apt-get install -y chromium-headless-shell' } : { kind: 'none' }
}

/**
 * `npm ci` when node_modules is missing or older than the lockfile.
 * @param {{ lockMtime: number | undefined, installedMtime: number | undefined }} o
 */
export function needsNpmCi(o) {
  if (o.installedMtime === undefined) return true
  return o.lockMtime !== undefined && o.lockMtime > o.installedMtime
}

/**
 * Build when dist is missing or any source is newer than the newest output.
 * @param {{ newestSource: number, newestOutput: number | undefined }} o
 */
export function needsBuild(o) {
  return o.newestOutput === undefined || o.newestSource > o.newestOutput
}

/**
 * An installed copy (node_modules/sf-oauth-harness, from a tarball or the registry) has dist/ but no
 * sources and no tsconfig: it is neither built nor `npm ci`-ed here, and its browser record goes to the
 * per-user cache, not into the package.
 * @param {{ root: string, exists: (p: string) => boolean }} o
 */
export function isInstalledCopy(o) {
  return !o.exists(join(o.root, 'tsconfig.build.json'))
}

/**
 * The per-user cache directory (must match userCacheDir in src/config.ts).
 * @param {{ env: Record<string, string | undefined>, platform: string, home: string }} o
 */
export function userCacheDir(o) {
  const xdg = o.env.XDG_CACHE_HOME
  const base = o.platform === 'darwin' ? join(o.home, 'Library', 'Caches')
    : o.platform === 'win32' ? (o.env.LOCALAPPDATA ?? join(o.home, 'AppData', 'Local'))
    : xdg !== undefined && isAbsolute(xdg) ? xdg : join(o.home, '.cache')
  return join(base, 'sf-oauth-harness')
}
