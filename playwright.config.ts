import { join } from 'node:path'
import { defineConfig, type ReporterDescription } from '@playwright/test'
import { readEnv } from './src/config.js'
import { launchOptions } from './src/browser/launch.js'

const env = readEnv()
const ci = Boolean(env.CI)
/** `all`: trace and screenshot on for every test, every reporter (the secret scan's nested run). */
const allArtifacts = env.SF_TEST_ARTIFACTS === 'all'
const reportDir = env.SF_TEST_REPORT_DIR ?? 'test-results'
const htmlDir = env.SF_TEST_HTML_DIR ?? 'playwright-report'
/**
 * A shard (`--shard=i/n`, or SF_TEST_BLOB_DIR set) writes a blob report only; the shards' blobs are merged
 * into one HTML + JUnit report by `npx playwright merge-reports --config merge.config.ts DIR`
 * (.github/workflows/nightly.yml). https://playwright.dev/docs/test-sharding
 */
const sharded = process.argv.some((a) => a.startsWith('--shard')) || env.SF_TEST_BLOB_DIR !== undefined
const blobDir = env.SF_TEST_BLOB_DIR ?? 'blob-report'

/** A missing browser must not stop the browser-free projects; browser tests then fail with BROWSER_NOT_FOUND. */
function browserLaunch() {
  try {
    return launchOptions({ browserPath: env.SF_BROWSER_PATH })
  } catch {
    return {}
  }
}

// No reporter scrubs: each test worker keeps its secrets in (tests/support/scrub.ts), whatever reporters run.
const reporters: ReporterDescription[] = sharded ? [
  ['list'],
  ['blob', { outputDir: blobDir }],
] : [
  ['list'],
  ['json', { outputFile: join(reportDir, 'report.json') }],
  ...(ci && !allArtifacts ? [] : ([['junit', { outputFile: join(reportDir, 'junit.xml') }], ['html', { open: 'never', outputFolder: htmlDir }]] as ReporterDescription[])),
]

/**
 * Heavy specs that live next to what they test: thousands of requests (the emulator fuzz), or a process
 * per case (bash for every pasted command, actionlint over the workflows, a nested Playwright run).
 */
/** The specs run against the embedded emulator; split by tag between the `emulator` and `browser` projects. */
const EMULATOR_SPECS = ['browser/**/*.spec.ts', 'flow/**/*.spec.ts', 'cli/**/*.spec.ts', 'scenarios/**/*.spec.ts']
const BROWSER_TAG = /@browser\b/

const HEAVY_ELSEWHERE = ['emulator/fuzz.spec.ts', 'interop/shell-quote.spec.ts', 'scripts/lint-workflows.spec.ts', 'config/live-project.spec.ts', 'config/test-tiers.spec.ts']

export default defineConfig({
  testDir: 'tests',
  testIgnore: ['**/support/**'],
  fullyParallel: true,
  forbidOnly: ci,
  retries: 0,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: reporters,
  // A second run in the same job (.ci/run's live run) must not wipe the first run's results.
  ...(env.SF_TEST_OUTPUT_DIR === undefined ? {} : { outputDir: env.SF_TEST_OUTPUT_DIR }),
  use: {
    launchOptions: browserLaunch(),
    // A trace is recorded for every test and dropped when it passes: that doubled the browser tests'
    // time here (flow/happy-path + cli/check-flow: 110 s with, 60 s without). So CI, where a failure
    // cannot be rerun at a desk, keeps them; locally, rerun a failure with --trace retain-on-failure.
    trace: allArtifacts ? 'on' : ci ? 'retain-on-failure' : 'off',
    // The same for screenshots: 'only-on-failure' shoots every page of every context a test closes (each
    // CLI flow's), waiting up to 5 s for a page still loading (the time-out cases). Off at a desk.
    screenshot: allArtifacts ? 'on' : ci ? 'only-on-failure' : 'off',
  },
  projects: [
    // Pure code, the emulator over plain HTTP, and the offline specs (tests/offline: the token side with
    // the network refused, nock answering from fixtures/, by their own fixture): no browser is launched.
    // One project, so one worker start per slot: a project of its own cost the offline specs ~4 s of
    // `npm test` (a new worker on each slot) for 2 s of tests. The emulator fuzz test is heavy: below.
    { name: 'unit', testMatch: ['offline/**/*.spec.ts', 'oauth/**/*.spec.ts', 'errors/**/*.spec.ts', 'docs/**/*.spec.ts', 'config/**/*.spec.ts', 'http/**/*.spec.ts', 'redact/**/*.spec.ts', 'credentials/**/*.spec.ts', 'report/**/*.spec.ts', 'record/**/*.spec.ts', 'scripts/**/*.spec.ts', 'emulator/**/*.spec.ts', 'interop/**/*.spec.ts', 'targets/**/*.spec.ts', 'store/**/*.spec.ts', 'architecture/**/*.spec.ts', 'testing/**/*.spec.ts'], testIgnore: ['**/support/**', ...HEAVY_ELSEWHERE] },
    // The embedded emulator per worker; the CLI in process. Of the real-browser tests only those tagged
    // @browser are left to the next project: here, one real-browser test per path stays (the flow, the
    // CLI's own browser, each kind of page: interstitial, passkey, TOTP, consent, error page, callback).
    { name: 'emulator', testMatch: EMULATOR_SPECS, grepInvert: BROWSER_TAG },
    // Every other real-browser variant (each login page, each CLI flow option): 78 flows, a second of
    // Chromium each on this machine's 2 cores, which made `npm test` twice its 60 s goal
    // (docs/performance.md). At a desk `npm test` leaves them out; with CI set (every CI job, .ci/run)
    // they run, and `npm run test:browser` or `npm run test:all` runs them anywhere.
    { name: 'browser', testMatch: EMULATOR_SPECS, grep: BROWSER_TAG, default: ci },
    // The org named by SF_LOGIN_URL etc. (CI: the emulator as its own process); skips when none is named.
    // One worker: scenarios may steer the one org (rotation) and must not overlap.
    { name: 'live', testMatch: ['live/**/*.spec.ts'], workers: 1 },
    // Load and the secret scan (a nested run): after the rest, one at a time, so they measure and
    // scan without competing for the machine's two cores. Not part of `npm test` (default: false):
    // they took over half its wall time; CI (.ci/run) and `npm run test:all` select every project.
    { name: 'heavy', testMatch: ['heavy/**/*.spec.ts', ...HEAVY_ELSEWHERE], dependencies: ['unit', 'emulator', 'browser'], workers: 1, default: false },
  ],
})
