#!/usr/bin/env node
// @ts-check
/**
 * Fails when a file under the given directories (default: fixtures/) holds something that looks like a
 * real credential and is not one of the known fakes (src/record/fakes.ts): `00D…!…` access tokens,
 * `5Aep…` refresh tokens, codes, JWTs, `force://` URLs, client secrets. Run by `npm test` (through
 * tests/record/credential-check.spec.ts) and by `npm run record` after writing.
 */
import { readFileSync } from 'node:fs'
import { filesUnder } from './files.mjs'
import { findCredentials } from '../dist/record/credential-check.js'

const dirs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['fixtures']
const paths = filesUnder(dirs)
const files = paths.length
const found = []
for (const path of paths) {
  for (const f of findCredentials(readFileSync(path, 'utf8'))) found.push(`${path}:${f.line}: ${f.kind} ${f.value}`)
}
if (found.length > 0) {
  process.stderr.write(`✗ credential check: ${found.length} value(s) that look real and are not known fakes:\n${found.map((f) => `  ${f}`).join('\n')}\nReplace them with fakes from src/record/fakes.ts (npm run record masks automatically).\n`)
  process.exit(1)
}
process.stdout.write(`✓ credential check: ${files} files of ${dirs.join(', ')} hold only known fakes\n`)
