/**
 * The scrub proof's nested run (tests/heavy/scrub-any-reporter.spec.ts): the project's own settings,
 * but only a few real flow tests plus careless.run.ts, which fails on purpose. No reporter is chosen
 * here: the proof passes its own on the command line.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from '@playwright/test'
import base from '../../../playwright.config.js'

export default defineConfig({
  ...base,
  // Not the project's reporter list (its paths are relative to the main config); the proof picks its own.
  reporter: 'null',
  testDir: fileURLToPath(new URL('../..', import.meta.url)),
  projects: [{ name: 'scrub-run', testMatch: ['flow/happy-path.spec.ts', 'flow/faults.spec.ts', 'heavy/scrub-run/*.run.ts'] }],
})
