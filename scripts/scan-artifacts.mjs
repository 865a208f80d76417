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
import { isKnownFake } from '../dist/record/fakes.js'

const dirs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['test-results', 'playwright-report']
const PATTERNS = [
  ['access token', /00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{20,}/g],
  ['refresh token', /5Aep861[A-Za-z0-9._]{30,}/g],
  ['authorization code', /aPrx[A-Za-z0-9._]{60,}(==|%3D%3D)/g],
  ['seeded password', new RegExp(DEMO_USER.password.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g')],
  ['seeded client secret', new RegExp(DEMO_APP.clientSecret, 'g')],
]
// The offline fixtures' fakes (src/record/fakes.ts) are credential-shaped on purpose and may reach reports.
const real = (m) => !isKnownFake(m.replace(/%3D/g, '='))

const paths = filesUnder(dirs)
const files = paths.length
const found = []
for (const path of paths) {
  for (const [where, text] of texts(path, readFileSync(path))) {
    for (const [kind, re] of PATTERNS) if ([...text.matchAll(re)].some((m) => real(m[0]))) found.push(`${kind} in ${where}`)
  }
}
if (found.length > 0) {
  process.stderr.write(`✗ artifact scan: ${found.length} secret(s) in ${files} files:\n${found.slice(0, 50).map((f) => `  ${f}`).join('\n')}\n`)
  process.exit(1)
}
process.stdout.write(`✓ artifact scan: no secret in ${files} files of ${dirs.join(', ')}\n`)
