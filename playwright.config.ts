import { defineConfig } from '@playwright/test'
import { readEnv } from './src/config.js'
import { launchOptions } from './src/browser/launch.js'

const env = readEnv()
const ci = Boolean(env.CI)

/** A missing browser must not stop the browser-free projects; browser tests then fail with BROWSER_NOT_FOUND. */
function browserLaunch() {
  try {
    return launchOptions({ browserPath: env.SF_BROWSER_PATH })
  } catch {
    return {}
  }
}

export default defineConfig({
  testDir: 'tests',
  testIgnore: ['**/support/**'],
  fullyParallel: true,
  forbidOnly: ci,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: ci ? [['list'], ['json', { outputFile: 'test-results/report.json' }]] : [['list'], ['json', { outputFile: 'test-results/report.json' }], ['html', { open: 'never' }]],
  use: {
    launchOptions: browserLaunch(),
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // Pure code and the emulator over plain HTTP: no browser is launched.
    { name: 'unit', testMatch: ['oauth/**/*.spec.ts', 'config/**/*.spec.ts', 'http/**/*.spec.ts', 'redact/**/*.spec.ts', 'report/**/*.spec.ts', 'scripts/**/*.spec.ts', 'emulator/**/*.spec.ts'] },
    // Real browser against the embedded emulator; the CLI as a subprocess.
    { name: 'emulator', testMatch: ['browser/**/*.spec.ts', 'flow/**/*.spec.ts', 'cli/**/*.spec.ts'] },
  ],
})
