#!/usr/bin/env node
// @ts-check
/**
 * After a full test run: search every file it left (test-results/, playwright-report/; zips expanded,
 * the HTML report's embedded data too) for anything that looks like a live credential or is one of the
 * emulator's seeded secrets. Exit 1 with the places when something is found. Run by .ci/run.
 */
import { readFileSync } from 'node:fs'
import { filesUnder } from './files.mjs'
import { DEMO_APP, DEMO_USER } from '../dist/emulator/seed.js'
import { expandTexts as texts } from '../dist/report/scrub.js'
import { isKnownFakeSpelling } from '../dist/record/fakes.js'
// The one catalogue of credential shapes, built (src/credentials/shapes.ts): .ci/run builds dist/ in its
// setup step, before the tests and this scan, as the imports above already need.
import { ACCESS_TOKEN, AUTHORIZATION_CODE, findShapes, REFRESH_TOKEN } from '../dist/credentials/shapes.js'

const dirs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['test-results', 'playwright-report']
/** @param {string} text */
const literal = (text) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g')
// `strict` shapes: a run's reports quote test code, whose short made-up values are not credentials.
const SHAPES = [
  { kind: 'access token', pattern: ACCESS_TOKEN.strict },
  { kind: 'refresh token', pattern: REFRESH_TOKEN.strict },
  { kind: 'authorization code', pattern: AUTHORIZATION_CODE.strict },
  { kind: 'seeded password', pattern: literal(DEMO_USER.password) },
  { kind: 'seeded client secret', pattern: literal(DEMO_APP.clientSecret) },
]

const paths = filesUnder(dirs)
const files = paths.length
const found = []
for (const path of paths) {
  for (const [where, text] of texts(path, readFileSync(path))) {
    // The offline fixtures' fakes (src/record/fakes.ts) are credential-shaped on purpose and may reach reports.
    for (const kind of new Set(findShapes(text, SHAPES, isKnownFakeSpelling).map((m) => m.kind))) found.push(`${kind} in ${where}`)
  }
}
if (found.length > 0) {
  process.stderr.write(`✗ artifact scan: ${found.length} secret(s) in ${files} files:\n${found.slice(0, 50).map((f) => `  ${f}`).join('\n')}\n`)
  process.exit(1)
}
process.stdout.write(`✓ artifact scan: no secret in ${files} files of ${dirs.join(', ')}\n`)
