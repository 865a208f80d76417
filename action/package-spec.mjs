#!/usr/bin/env node
// @ts-check
/**
 * What the action installs (action.yml, input `package`). Plain Node, no dependencies.
 *   package-spec.mjs PACKAGE ACTION_PATH   print the npm install spec
 * An empty `package` means this action's own version: `name@version` from the package.json next to
 * action.yml, so `uses: owner/sf-oauth-harness@v0.2.1` installs sf-oauth-harness@0.2.1 and a pinned
 * action never drifts to another release. Anything else is the user's override, passed through.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** npm's package name rule (lower case, optionally scoped) and a semver version without build metadata. */
const NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/

/**
 * @param {string} input the `package` input ('' for the default)
 * @param {string} actionPath the action's checkout ($GITHUB_ACTION_PATH)
 * @returns {string}
 */
export function packageSpec(input, actionPath) {
  const given = input.trim()
  if (given !== '') return given
  const file = join(actionPath, 'package.json')
  /** @type {{ name?: unknown, version?: unknown }} */
  let pkg
  try {
    pkg = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new Error(`${file} cannot be read (${err instanceof Error ? err.message : String(err)}): set the action's "package" input, e.g. sf-oauth-harness@0.2.0`)
  }
  if (typeof pkg.name !== 'string' || !NAME.test(pkg.name) || typeof pkg.version !== 'string' || !VERSION.test(pkg.version)) {
    throw new Error(`${file} has no valid "name" and "version": set the action's "package" input, e.g. sf-oauth-harness@0.2.0`)
  }
  return `${pkg.name}@${pkg.version}`
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.stdout.write(`${packageSpec(process.argv[2] ?? '', process.argv[3] ?? '.')}\n`)
  } catch (err) {
    process.stderr.write(`sf-oauth action: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exit(2)
  }
}
