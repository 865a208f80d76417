/**
 * What the GitHub Action installs (action/package-spec.mjs, run by action.yml's install step): by default
 * the action's own name@version, so a pinned `uses: …@vX.Y.Z` installs that release; an override as given;
 * a checkout without a usable package.json is refused with the input to set. The step runs the script.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
// @ts-expect-error: plain JS module (checked by tsc through // @ts-check, typed by JSDoc)
import { packageSpec } from '../../action/package-spec.mjs'

const spec = packageSpec as (input: string, actionPath: string) => string
const own = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string }

function checkout(pkg: unknown): string {
  const dir = join(test.info().outputPath(), 'action')
  mkdirSync(dir, { recursive: true })
  if (pkg !== undefined) writeFileSync(join(dir, 'package.json'), typeof pkg === 'string' ? pkg : JSON.stringify(pkg))
  return dir
}

test('default: this checkout\'s name@version; a pinned release installs itself, not a version written into action.yml', () => {
  expect(spec('', '.')).toBe(`${own.name}@${own.version}`)
  expect(spec('  ', checkout({ name: 'sf-oauth-harness', version: '0.2.1' }))).toBe('sf-oauth-harness@0.2.1')
  expect(readFileSync('action.yml', 'utf8')).not.toMatch(/default: "?sf-oauth-harness@/)
})

test('an override is installed as given (a tarball, a range, another tag)', () => {
  const dir = checkout({ name: 'sf-oauth-harness', version: '0.2.1' })
  for (const given of ['./sf-oauth-harness-0.2.1.tgz', 'sf-oauth-harness@^0.3.0', 'sf-oauth-harness@next']) expect(spec(given, dir)).toBe(given)
})

test('no package.json, bad JSON, or no valid name and version: refused, naming the input to set; the step stops (exit 2)', () => {
  for (const pkg of [undefined, '{not json', { name: 'sf-oauth-harness' }, { name: 'Bad Name', version: '1.0.0' }, { name: 'sf-oauth-harness', version: '1.0.0; rm -rf /' }]) {
    expect(() => spec('', checkout(pkg)), JSON.stringify(pkg)).toThrow(/set the action's "package" input/)
  }
  const r = spawnSync(process.execPath, ['action/package-spec.mjs', '', checkout('{not json')], { encoding: 'utf8' })
  expect(r.status).toBe(2)
  expect(r.stdout).toBe('')
  expect(r.stderr).toMatch(/^sf-oauth action: .*set the action's "package" input/)
  const ok = spawnSync(process.execPath, ['action/package-spec.mjs', '', '.'], { encoding: 'utf8' })
  expect([ok.status, ok.stdout]).toEqual([0, `${own.name}@${own.version}\n`])
})

test('action.yml\'s install step installs what the script prints', () => {
  const action = readFileSync('action.yml', 'utf8')
  expect(action).toContain('spec="$(node "$GITHUB_ACTION_PATH/action/package-spec.mjs" "$PACKAGE" "$GITHUB_ACTION_PATH")"')
  expect(action).toMatch(/npm install [^\n]*"\$spec"$/m)
})
