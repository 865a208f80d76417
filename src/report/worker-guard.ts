/**
 * Keeps registered secrets inside the test worker, whatever reporters and trace options a run uses
 * (`--reporter=…`, `--trace on`): scrubbing must not depend on the project's reporter list.
 *
 * Reporters run in the runner process. Everything they learn from a worker crosses one boundary, the
 * worker's IPC channel to the runner (`process.send`): console chunks, step titles and errors,
 * attachments (a body, or the path of a file), the end of a test with its errors. The guard redacts every
 * such message on its way out, and before a message names a file (an attachment, trace.zip,
 * error-context.md) or ends a test, it scrubs that file or the test's output directory in place. So
 * list/line/dot print masked text, and JSON, JUnit, blob and HTML reports (which copy the files, after
 * this point) hold masked copies only. The worker's own stdout and stderr are redacted at the source.
 *
 * Why the IPC boundary and not a fixture teardown: Playwright 1.65 zips trace.zip after every
 * test-scoped fixture has been torn down, and after a failing test (the worker then stops) even after
 * the worker-scoped ones; then it sends the attachment and `testEnd`. So the guard is installed once per
 * worker process and never removed (the process ends with the run).
 * Why not keep secrets out of the trace: it records the login form's POST body and the arguments of
 * every Playwright call, with no option to leave them out, and Playwright declines to scrub
 * (playwright#19992). The raw trace exists only between Playwright zipping it and the guard.
 */
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, mkdtempSync, statSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { extname, join, relative, isAbsolute } from 'node:path'
import { redactor as processRedactor, type Redactor } from '../redact.js'
import { filesUnderSync, looksLikeZip, scrubBuffer, scrubFileSync } from './scrub.js'

/** Worker → runner events that carry test output (Playwright's worker protocol). */
const EVENTS = new Set(['stdOut', 'stdErr', 'stepBegin', 'stepEnd', 'attach', 'testEnd', 'testPaused', 'teardownErrors', 'done'])
/** Fields that name things (files, ids): never secrets, and a path must keep pointing at its file. */
const NAMES = new Set(['path', 'file', 'testId', 'stepId', 'parentStepId', 'method'])
/** Fields holding base64 bytes: a console chunk (`buffer`) and an attachment body (`body`). */
const BASE64 = new Set(['buffer', 'body'])

interface Message {
  method?: unknown
  params?: { method?: unknown; params?: Record<string, unknown> }
}

export interface WorkerGuard {
  /** Tell the guard where a test writes its files, so its end can scrub them. */
  watch(testId: string, outputDir: string): void
  /** A worker → runner message as it may leave the worker (files it names already scrubbed). */
  message(message: unknown): unknown
  /** A console chunk as it may be written. */
  chunk(chunk: unknown): unknown
}

/** The guard's logic, installed nowhere (guardWorker installs it). */
export function createGuard(redactor: Redactor): WorkerGuard {
  const outputDirs = new Map<string, string>()
  let spare: string | undefined
  /** Files already scrubbed, with the size and time they had then: the trace is not unzipped twice. */
  const clean = new Map<string, string>()
  const stamp = (path: string) => {
    const s = statSync(path)
    return `${s.size}:${s.mtimeMs}`
  }

  const scrub = (path: string): void => {
    try {
      if (clean.get(path) === stamp(path)) return
      scrubFileSync(path, redactor)
      clean.set(path, stamp(path))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      // Fail closed: a file that cannot be scrubbed (a zip this reader cannot parse) is not handed on.
      unlinkSync(path)
      process.stderr.write(`sf-oauth-harness: removed ${path}: it could not be scrubbed of secrets (${err instanceof Error ? err.message : String(err)})\n`)
    }
  }

  /** An attachment outside the test's output directory is the user's own file: scrub a copy, not it. */
  const attachment = (testId: unknown, path: string): string => {
    const dir = typeof testId === 'string' ? outputDirs.get(testId) : undefined
    const rel = dir === undefined ? '' : relative(dir, path)
    if (dir === undefined || rel.startsWith('..') || isAbsolute(rel)) {
      const copy = join(dir ?? (spare ??= mkdtempSync(join(tmpdir(), 'sf-oauth-attach-'))), 'attachments', `scrubbed-${createHash('sha1').update(path).digest('hex')}${extname(path)}`)
      mkdirSync(join(copy, '..'), { recursive: true })
      copyFileSync(path, copy)
      scrub(copy)
      return copy
    }
    scrub(path)
    return path
  }

  const redactBase64 = (b64: string): string => {
    const buf = Buffer.from(b64, 'base64')
    return scrubBuffer(buf, redactor, looksLikeZip(buf))?.toString('base64') ?? b64
  }
  const redact = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') {
      if (key !== undefined && NAMES.has(key)) return value
      return key !== undefined && BASE64.has(key) ? redactBase64(value) : redactor.text(value)
    }
    if (Array.isArray(value)) return value.map((v) => redact(v))
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]))
    }
    return value
  }

  const guard = (message: Message): unknown => {
    const event = message.params?.method
    const params = message.params?.params
    if (message.method !== '__dispatch__' || typeof event !== 'string' || !EVENTS.has(event) || params === undefined) return message
    let out = params
    if (event === 'attach' && typeof params.path === 'string') out = { ...params, path: attachment(params.testId, params.path) }
    if (event === 'testEnd' && typeof params.testId === 'string') {
      for (const file of filesUnderSync(outputDirs.get(params.testId) ?? '')) scrub(file)
      outputDirs.delete(params.testId)
    }
    return { ...message, params: { ...message.params, params: redact(out) } }
  }

  const chunk = (c: unknown): unknown => {
    if (typeof c === 'string') return redactor.text(c)
    if (c instanceof Uint8Array) return scrubBuffer(Buffer.from(c), redactor, false) ?? c
    return c
  }

  return {
    watch: (testId, outputDir) => outputDirs.set(testId, outputDir),
    message: (m) => (m !== null && typeof m === 'object' ? guard(m) : m),
    chunk,
  }
}

let installed: WorkerGuard | undefined

/** Install the guard in this worker process (once; later calls return the same guard). */
export function guardWorker(redactor: Redactor = processRedactor): WorkerGuard {
  if (installed !== undefined) return installed
  const g = createGuard(redactor)
  const send = process.send?.bind(process) as ((message: unknown, ...rest: unknown[]) => boolean) | undefined
  if (send !== undefined) {
    process.send = ((message: unknown, ...rest: unknown[]) => send(g.message(message), ...rest)) as NonNullable<typeof process.send>
  }
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (c: unknown, ...rest: unknown[]) => boolean
    stream.write = (c: unknown, ...rest: unknown[]) => write(g.chunk(c), ...rest)
  }
  installed = g
  return g
}
