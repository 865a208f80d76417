#!/usr/bin/env node
// @ts-check
/**
 * The action's job summary (action.yml). Plain Node, no dependencies; it reads only what sf-oauth wrote
 * (`check --json`, masked) and the token files' non-secret times.
 *   summary.mjs snapshot TARGETS OUT      record each target's token age before the check
 *   summary.mjs summary CHECK_JSON AGES   print the Markdown table (target, result, code, latency, token age)
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

/** @param {string} text A cell: no pipe, no line break, no HTML (server text may reach it). */
export const cell = (text) => String(text).replace(/[\r\n]+/g, ' ').replace(/[|<>`]/g, (c) => `&#${c.charCodeAt(0)};`).slice(0, 200)

/** @param {number} ms */
export const age = (ms) => (ms < 0 ? '—' : ms < 120_000 ? `${Math.round(ms / 1000)} s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)} min` : ms < 172_800_000 ? `${Math.round(ms / 3_600_000)} h` : `${Math.round(ms / 86_400_000)} d`)

/**
 * Each target's token age from its token file's issued_at (epoch ms), read before the check refreshes it.
 * @param {string} targetsFile @param {number} now @returns {Record<string, number>}
 */
export function snapshot(targetsFile, now) {
  /** @type {Record<string, number>} */
  const ages = {}
  try {
    const data = JSON.parse(readFileSync(targetsFile, 'utf8'))
    for (const t of Array.isArray(data.targets) ? data.targets : []) {
      if (typeof t?.name !== 'string' || typeof t?.tokenFile !== 'string') continue
      try {
        const saved = JSON.parse(readFileSync(resolve(dirname(targetsFile), t.tokenFile), 'utf8'))
        const issued = Number(saved.issuedAt)
        if (Number.isFinite(issued)) ages[t.name] = now - issued
      } catch {
        // No token file yet (a first --flow run): no age.
      }
    }
  } catch {
    // The check reports a bad targets file itself.
  }
  return ages
}

/**
 * @param {{ ok?: boolean, targets?: { name: string, ok: boolean, durationMs: number, error?: { code: string } }[], error?: { code: string, message: string }, summary?: { passed: number, total: number, durationMs: number } }} result
 * @param {Record<string, number>} ages
 */
export function summaryMarkdown(result, ages) {
  const lines = ['### sf-oauth check', '']
  if (!Array.isArray(result.targets)) {
    lines.push(`✗ ${cell(result.error?.code ?? 'NO_RESULT')}: ${cell(result.error?.message ?? 'sf-oauth check printed no result')}`)
    return `${lines.join('\n')}\n`
  }
  lines.push('| target | result | code | latency | token age |', '| --- | --- | --- | --- | --- |')
  for (const t of result.targets) {
    const a = ages[t.name]
    lines.push(`| ${cell(t.name)} | ${t.ok ? '✓ passed' : '✗ failed'} | ${cell(t.error?.code ?? '')} | ${Math.round(t.durationMs)} ms | ${a === undefined ? '—' : age(a)} |`)
  }
  if (result.summary) lines.push('', `${result.summary.passed} of ${result.summary.total} passed in ${result.summary.durationMs} ms`)
  return `${lines.join('\n')}\n`
}

const main = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href
const [mode, a, b] = main ? process.argv.slice(2) : []
if (mode === 'snapshot' && a !== undefined && b !== undefined) {
  writeFileSync(b, JSON.stringify(snapshot(a, Date.now())))
} else if (mode === 'summary' && a !== undefined && b !== undefined) {
  /** @type {Parameters<typeof summaryMarkdown>[0]} */
  let result = {}
  try {
    result = JSON.parse(readFileSync(a, 'utf8'))
  } catch {
    result = { error: { code: 'NO_RESULT', message: 'sf-oauth check printed no JSON (see the step log)' } }
  }
  let ages = {}
  try {
    ages = JSON.parse(readFileSync(b, 'utf8'))
  } catch {
    // No snapshot: ages unknown.
  }
  process.stdout.write(summaryMarkdown(result, ages))
} else if (mode !== undefined) {
  process.stderr.write('usage: summary.mjs snapshot TARGETS OUT | summary CHECK_JSON AGES\n')
  process.exit(2)
}
