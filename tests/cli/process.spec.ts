/**
 * The real process, quick (no browser): exit codes, stdout and stderr kept apart, no stack. The slow
 * process runs (Chromium in the process, signals, pipes) are tests/heavy/cli-process.spec.ts; the
 * standalone emulator's signals are tests/cli/emulator-cli.spec.ts; everything else runs in process.
 */
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { runCli } from '../support/cli.js'

test('usage and config errors: exit 2, one line on stderr; --json puts its object on stdout only', async () => {
  const [usage, config, help] = await Promise.all([
    runCli(['flow', '--nope']),
    runCli(['flow', '--json'], { env: { SF_LOGIN_URL: 'http://login.salesforce.com', SF_TIMEOUT_MS: 'x' } }),
    runCli(['--help']),
  ])
  expect(usage.code).toBe(2)
  expect(usage.stdout).toBe('')
  expect(usage.stderr).toMatch(/^✗ USAGE_INVALID: [^\n]+\n$/)
  expect(config.code).toBe(2)
  expect(config.stderr).toMatch(/^✗ CONFIG_INVALID: [^\n]+\n$/)
  expect((JSON.parse(config.stdout) as { error: { code: string } }).error.code).toBe('CONFIG_INVALID')
  expect(help.code).toBe(0)
  expect(help.stderr).toBe('')
  expect(help.stdout).toContain('Usage: sf-oauth <command>')
})
