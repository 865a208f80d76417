/** The GitHub Action's job summary (action/summary.mjs): the table, token ages, and hostile text in cells. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
// @ts-expect-error: plain JS module (checked by tsc through // @ts-check, typed by JSDoc)
import { snapshot, summaryMarkdown } from '../../action/summary.mjs'

type Summary = (result: unknown, ages: Record<string, number>) => string
type Snapshot = (file: string, now: number) => Record<string, number>

test('one row per target: result, code, latency and token age', () => {
  const md = (summaryMarkdown as Summary)({ ok: false, targets: [{ name: 'prod', ok: true, durationMs: 812.4 }, { name: 'uat', ok: false, durationMs: 95, error: { code: 'TOKEN_INVALID_GRANT' } }], summary: { passed: 1, total: 2, durationMs: 900 } }, { prod: 3 * 3_600_000 })
  expect(md).toContain('| target | result | code | latency | token age |')
  expect(md).toContain('| prod | ✓ passed |  | 812 ms | 3 h |')
  expect(md).toContain('| uat | ✗ failed | TOKEN_INVALID_GRANT | 95 ms | — |')
  expect(md).toContain('1 of 2 passed in 900 ms')
})

test('a target name cannot break the table or inject HTML; no result at all is said so', () => {
  const md = (summaryMarkdown as Summary)({ targets: [{ name: 'a|b\n<img src=x>', ok: true, durationMs: 1 }] }, {})
  expect(md).toContain('| a&#124;b &#60;img src=x&#62; |')
  expect((summaryMarkdown as Summary)({ ok: false, error: { code: 'CONFIG_INVALID', message: 'bad' } }, {})).toContain('✗ CONFIG_INVALID: bad')
})

test('token ages come from the token files\' issuedAt, relative to the targets file; missing files have none', ({}, testInfo) => {
  const dir = testInfo.outputPath('t')
  mkdirSync(join(dir, 'tokens'), { recursive: true })
  writeFileSync(join(dir, 'tokens', 'prod.json'), JSON.stringify({ issuedAt: '1000' }))
  writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets: [{ name: 'prod', tokenFile: 'tokens/prod.json' }, { name: 'uat', tokenFile: 'tokens/uat.json' }] }))
  expect((snapshot as Snapshot)(join(dir, 'targets.json'), 61_000)).toEqual({ prod: 60_000 })
})
