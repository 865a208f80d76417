/** The secret scans' ledger (SF_HARNESS_TEST_LEDGER): every secret a nested run's emulator or workers saw. */
import { readFileSync } from 'node:fs'
import { filesUnderSync } from '../../src/report/scrub.js'

/** The secrets a nested run logged, each once. */
export function readLedger(file: string): string[] {
  return [...new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => Buffer.from(l, 'base64').toString('utf8')))]
}

/**
 * Drops the values written in the given test sources: a test's deliberately wrong password or secret
 * ('wrong-password', 'not-the-secret') is public code, shown by the HTML report's snippets and kept in
 * traces as source. The seeded secrets live in src/emulator/seed.ts, never in these directories.
 */
export function notInSources(secrets: readonly string[], dirs: readonly string[]): string[] {
  const sources = dirs.flatMap((d) => filesUnderSync(d)).map((f) => readFileSync(f, 'utf8'))
  return secrets.filter((s) => !sources.some((src) => src.includes(s)))
}
