/**
 * Config for `npx playwright merge-reports --config merge.config.ts DIR`: the blob reports of all shards
 * become one HTML report and one JUnit file (nightly workflow, merge job).
 */
import { join } from 'node:path'
import { defineConfig } from '@playwright/test'
import { readEnv } from './src/config.js'

const env = readEnv()
const reportDir = env.SF_TEST_REPORT_DIR ?? 'test-results'
const htmlDir = env.SF_TEST_HTML_DIR ?? 'playwright-report'

export default defineConfig({
  testDir: 'tests',
  reporter: [
    ['list'],
    ['json', { outputFile: join(reportDir, 'report.json') }],
    ['junit', { outputFile: join(reportDir, 'junit.xml') }],
    ['html', { open: 'never', outputFolder: htmlDir }],
  ],
})
