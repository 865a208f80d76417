// @ts-check
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import { layerRules, restrictedProperties } from './eslint.layers.js'

export default tseslint.config(
  // tests/heavy/consumer: a consumer project's files (the built package imported by name), typechecked there.
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'blob-report/**', 'docs/api/**', 'tests/heavy/consumer/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // process.env is read in exactly one place: src/config.ts (and the dependency-free setup script).
      // process.env and globalThis.fetch (with no-restricted-globals: only src/http calls fetch, the bare global).
      'no-restricted-properties': ['error', ...restrictedProperties],
    },
  },
  // The layers: src/oauth imports no I/O, no command imports another, only src/http calls fetch,
  // src/emulator imports nothing of the harness, only the browser session launches a browser or opens a
  // context (tests/architecture/layers.spec.ts proves each bites).
  ...layerRules,
  {
    // Playwright fixtures without dependencies are written `async ({}, use) => …`.
    files: ['tests/**/*.ts'],
    rules: {
      'no-empty-pattern': 'off',
      // Every test runs under the worker's scrub guard (tests/support/scrub.ts): secrets stay out of
      // traces, attachments, console output and output files whatever reporters a run uses.
      'no-restricted-imports': ['error', { paths: [{ name: '@playwright/test', importNames: ['test'], message: "Import test from tests/support/scrub.js (or a fixture built on it), so the worker's scrub guard runs." }] }],
    },
  },
  {
    // The published fixtures (sf-oauth-harness/test) follow the same convention.
    files: ['src/testing/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['tests/support/scrub.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/config.ts', 'tests/support/env.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', performance: 'readonly', Buffer: 'readonly' },
    },
  },
)
