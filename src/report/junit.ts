/** A JUnit XML report, the shape CI servers read: one testsuite, one testcase per target. */
import { redactor } from '../redact.js'
import { xmlText } from '../sanitise.js'

export interface JUnitCase {
  readonly name: string
  readonly classname: string
  readonly durationMs: number
  readonly failure?: { readonly code: string; readonly message: string } | undefined
}

/** Masked, one line, only characters XML 1.0 allows, markup escaped: a server's text cannot break the file. */
const esc = (s: string) => xmlText(redactor.text(s))

export function junitXml(suite: string, cases: readonly JUnitCase[]): string {
  const failures = cases.filter((c) => c.failure).length
  const time = (ms: number) => (ms / 1000).toFixed(3)
  const total = cases.reduce((a, c) => a + c.durationMs, 0)
  const body = cases
    .map((c) => {
      const open = `    <testcase name="${esc(c.name)}" classname="${esc(c.classname)}" time="${time(c.durationMs)}"`
      return c.failure ? `${open}>\n      <failure type="${esc(c.failure.code)}" message="${esc(`${c.failure.code}: ${c.failure.message}`)}">${esc(c.failure.message)}</failure>\n    </testcase>` : `${open}/>`
    })
    .join('\n')
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${esc(suite)}" tests="${cases.length}" failures="${failures}" errors="0" time="${time(total)}">\n  <testsuite name="${esc(suite)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${time(total)}">\n${body}\n  </testsuite>\n</testsuites>\n`
}
