/**
 * `sf-oauth setup`: what `npm run setup` does, for any copy. In a project that installed the package it
 * finds or installs a browser (SF_BROWSER_PATH, Playwright's Chromium, a system Chromium or Chrome,
 * Playwright's installer, apt as root on Debian/Ubuntu) and records it per user; in a clone it also
 * installs the dependencies and builds. The work is scripts/setup.mjs, plain Node so it runs before the build.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { EXIT, InfraError } from '../../errors.js'
import { type Io, Printer } from '../output.js'

export const SETUP_HELP = `Usage: sf-oauth setup [--quiet] [--no-browser] [--check]

Finds a Chromium or Chrome (SF_BROWSER_PATH, Playwright's Chromium, a system browser) or installs one
(Playwright's installer; apt-get as root on Debian/Ubuntu), and records it in the user's cache
directory. In a clone of the repository it also installs the dependencies and builds.

Options:
  --quiet       print only actions and problems
  --no-browser  skip the browser step
  --check       change nothing; exit 1 when something is missing
  -h, --help    this help`

/** src/cli/commands and dist/cli/commands are both three levels below the package root. */
const SCRIPT = fileURLToPath(new URL('../../../scripts/setup.mjs', import.meta.url))

export async function setupCommand(argv: string[], io: Io): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    new Printer(io).own(SETUP_HELP)
    return EXIT.OK
  }
  // The script checks its own options (exit 2 on an unknown one) and prints its own lines, which hold no secret.
  const child = spawn(process.execPath, [SCRIPT, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.setEncoding('utf8').on('data', (s: string) => io.stdout(s))
  child.stderr.setEncoding('utf8').on('data', (s: string) => io.stderr(s))
  return new Promise((resolve, reject) => {
    child.once('error', (err) => reject(new InfraError('SETUP_FAILED', `could not run ${SCRIPT} (${err.message}): reinstall the package`)))
    child.once('close', (code) => resolve(code ?? EXIT.INFRA))
  })
}
