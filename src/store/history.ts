/**
 * `check --history FILE`: one JSON line per target per run (schemas/history-line.schema.json), never a
 * secret. The file is rewritten whole through the safe writer (atomic, 0600, never through a link) under
 * the file lock, so a reader sees the old file or the new one, and two runs do not lose each other's lines.
 * Size-bounded: the newest HISTORY_MAX_LINES lines are kept, older ones are dropped (trimmed, not rotated:
 * one file is what the dashboard and a CI cache handle).
 */
import { readFile, stat } from 'node:fs/promises'
import { HarnessError } from '../errors.js'
import { writeFileAtomic } from './atomic.js'
import { withFileLock } from './file-lock.js'

/** About a year of nightly runs over 25 targets. */
export const HISTORY_MAX_LINES = 10_000
/** A history file larger than this is not one (lines are under 2 KB). */
export const HISTORY_MAX_BYTES = 32 * 1024 * 1024

export type StepName = 'refresh' | 'verify' | 'flow' | 'writeBack'

export interface HistoryLine {
  readonly v: 1
  readonly time: string
  readonly runId: string
  readonly runUrl?: string
  readonly target: string
  readonly kind: string
  readonly mode: 'refresh' | 'flow'
  readonly result: 'pass' | 'fail'
  readonly error: { readonly code: string; readonly message: string; readonly fix: string } | null
  readonly durationMs: number
  readonly steps: Partial<Record<StepName, number>>
  readonly refreshTokenIssuedAt: string | null
  readonly tokenAgeMs: number | null
  readonly rotated: boolean
  readonly warnings: readonly string[]
  readonly forecast: { readonly policy: string; readonly expiresAt: string | null; readonly approvalsInUse: number | null; readonly approvalsMax: 5 }
}

const isIso = (v: unknown) => typeof v === 'string' && !Number.isNaN(Date.parse(v))

/** The file is untrusted input (a cache, an artifact): a line that is not a history line is skipped. */
export function parseHistoryLine(text: string): HistoryLine | undefined {
  let v: unknown
  try {
    v = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof v !== 'object' || v === null) return undefined
  const l = v as Record<string, unknown>
  if (l.v !== 1 || !isIso(l.time) || typeof l.target !== 'string' || (l.result !== 'pass' && l.result !== 'fail') || typeof l.runId !== 'string') return undefined
  if (typeof l.durationMs !== 'number' || typeof l.steps !== 'object' || l.steps === null || typeof l.forecast !== 'object' || l.forecast === null) return undefined
  return v as HistoryLine
}

async function readText(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path)
    if (!s.isFile()) throw new HarnessError('HISTORY_FILE_INVALID', `--history ${path} is not a regular file: give the history file written by sf-oauth check --history`)
    if (s.size > HISTORY_MAX_BYTES) throw new HarnessError('HISTORY_FILE_INVALID', `--history ${path} is over ${HISTORY_MAX_BYTES} bytes: it is not a history file; give another path`)
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/** Every valid line, oldest first; a missing file is an empty history. */
export async function readHistory(path: string): Promise<HistoryLine[]> {
  const text = await readText(path)
  if (text === undefined) return []
  return text.split('\n').flatMap((t) => {
    const l = t.trim() === '' ? undefined : parseHistoryLine(t)
    return l === undefined ? [] : [l]
  })
}

/** Append `lines`, keeping the newest `maxLines`. */
export async function appendHistory(path: string, lines: readonly HistoryLine[], maxLines = HISTORY_MAX_LINES): Promise<void> {
  await withFileLock(path, async () => {
    const old = (await readText(path))?.split('\n').filter((t) => t.trim() !== '') ?? []
    const all = [...old, ...lines.map((l) => JSON.stringify(l))].slice(-maxLines)
    await writeFileAtomic(path, `${all.join('\n')}\n`)
  }, { timeoutMs: 10_000 })
}
