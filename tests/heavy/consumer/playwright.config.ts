import { defineConfig } from '@playwright/test'

export default defineConfig({
  testMatch: '**/*.test.ts',
  reporter: [['list'], ['json', { outputFile: 'report/report.json' }], ['html', { open: 'never', outputFolder: 'report/html' }], ['./steps-reporter.ts']],
  use: { trace: 'on' },
})
