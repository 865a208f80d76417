/**
 * Everything the CLI prints goes through here. Values are redacted (nothing reaches a terminal, a CI log
 * or a --json consumer unmasked unless --reveal was given) and sanitised (src/sanitise.ts): one `line()`
 * is one terminal line, whatever a server put into the text, and no escape sequence gets through. Our own
 * constant text (help) goes through `own()`: printed as written, never redacted, so the redactor cannot
 * mistake a placeholder such as force://<clientId>:... for a credential.
 */
import { HarnessError } from '../errors.js'
import { redactor } from '../redact.js'
import { jsonForTerminal, sanitiseLine } from '../sanitise.js'

export interface Io {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

/**
 * A reader that went away (`sf-oauth … | head -1`) makes the next write fail with EPIPE, an 'error'
 * event that would end the process with a stack. The run goes on quietly instead (a flow still saves
 * its tokens), its output dropped, and exits with its own code.
 */
function pipeWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let guarded = false
  let closed = false
  return (text) => {
    if (!guarded) {
      guarded = true
      stream.on('error', () => {
        closed = true
      })
    }
    if (!closed && !stream.destroyed) stream.write(text)
  }
}

export const processIo: Io = {
  stdout: pipeWriter(process.stdout),
  stderr: pipeWriter(process.stderr),
}

const GUARDED = Symbol.for('sf-oauth-harness.guarded-stderr')

/**
 * Text that libraries write straight to the process's stderr, past the Printer, is redacted too:
 * Playwright's debug log (`DEBUG=pw:api` names the callback URL with its code, `DEBUG=pw:protocol`
 * carries the password typed into the login form). Installed once by the real process (`main` with
 * `processIo`); stdout is left alone, since `--reveal` prints there on purpose. A chunk that is not
 * whole UTF-8 text is passed on as it is: it cannot be read, so it cannot be redacted.
 */
export function guardStderr(stream: NodeJS.WritableStream = process.stderr, redact: (text: string) => string = (t) => redactor.text(t)): void {
  const target = stream as NodeJS.WritableStream & { [GUARDED]?: true }
  if (target[GUARDED] === true) return
  target[GUARDED] = true
  // A reader gone from stderr (`2>&1 | head -1`) must not end the run through a library's log line, as
  // pipeWriter keeps it from ending it through ours: the run goes on and saves its tokens.
  stream.on('error', () => undefined)
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean
  const decoder = new TextDecoder('utf-8', { fatal: true })
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === 'string') return write(redact(chunk), ...rest)
    if (chunk instanceof Uint8Array) {
      let text: string | undefined
      try {
        text = decoder.decode(chunk)
      } catch {
        text = undefined
      }
      if (text !== undefined) return write(Buffer.from(redact(text), 'utf8'), ...rest)
    }
    return write(chunk, ...rest)
  })
}

export class Printer {
  constructor(readonly io: Io, readonly reveal = false) {}

  /** One line: line breaks inside `text` are folded, control characters and escape sequences removed. */
  line(text = ''): void {
    this.io.stdout(`${sanitiseLine(this.reveal ? text : redactor.text(text))}\n`)
  }

  error(text: string): void {
    this.io.stderr(`${sanitiseLine(redactor.text(text))}\n`)
  }

  json(value: unknown): void {
    this.io.stdout(`${jsonForTerminal(this.reveal ? value : redactor.value(value))}\n`)
  }

  /** Our own words (a command's help): printed as written, lines and all; no value may go in here. */
  own(text: string): void {
    this.io.stdout(`${text}\n`)
  }
}

/**
 * An error as `--json` shows it: code, message, masked cause. Never a stack. The message is text for a
 * person (one line, sanitised); the cause is evidence, kept exact (JSON escapes it).
 */
export function errorJson(err: unknown): { code: string; message: string; cause?: unknown } {
  if (err instanceof HarnessError) {
    return { code: err.code, message: sanitiseLine(redactor.text(err.message)), ...(err.cause === undefined ? {} : { cause: redactor.value(err.cause) }) }
  }
  const message = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)
  return { code: 'INTERNAL_ERROR', message: sanitiseLine(redactor.text(message)) }
}

/** Run a command body; with --json, a failure is also printed as one `{ok: false, error}` object. */
export async function jsonErrors<T>(json: boolean | undefined, out: Printer, body: () => Promise<T>): Promise<T> {
  try {
    return await body()
  } catch (err) {
    if (json === true) out.json({ ok: false, error: errorJson(err) })
    throw err
  }
}

export function ms(n: number): string {
  return `${Math.round(n)} ms`
}
