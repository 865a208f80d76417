#!/usr/bin/env node
// @ts-check
/**
 * Writes docs/errors.md from the error registry (src/error-registry.ts, through the built dist/): run
 * `npm run docs:errors` after changing a code. `--check` writes nothing and exits 1 when the file is stale
 * (tests/errors/registry.spec.ts makes the same check in `npm test`). No network.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { ERRORS_DOC_PATH, renderErrorsDoc } from '../dist/error-doc.js'

const want = renderErrorsDoc()
let have = ''
try {
  have = readFileSync(ERRORS_DOC_PATH, 'utf8')
} catch {
  // missing: written below, or stale under --check
}
if (process.argv.includes('--check')) {
  if (have !== want) {
    process.stderr.write(`✗ ${ERRORS_DOC_PATH} is not what the registry gives: run npm run docs:errors\n`)
    process.exit(1)
  }
  process.stdout.write(`✓ ${ERRORS_DOC_PATH} is current\n`)
} else if (have === want) {
  process.stdout.write(`✓ ${ERRORS_DOC_PATH} was already current\n`)
} else {
  writeFileSync(ERRORS_DOC_PATH, want)
  process.stdout.write(`✓ wrote ${ERRORS_DOC_PATH}\n`)
}
