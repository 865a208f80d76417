/**
 * Everything the CLI prints goes through here, and through the redactor: nothing reaches a terminal,
 * a CI log or a --json consumer unmasked unless --reveal was given.
 */
import { HarnessError } from '../errors.js'
import { redactor } from '../redact.js'

export interface Io {
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}

export class Printer {
  constructor(readonly io: Io, readonly reveal = false) {}

  line(text = ''): void {
    this.io.stdout(`${this.reveal ? text : redactor.text(text)}\n`)
  }

  error(text: string): void {
    this.io.stderr(`${redactor.text(text)}\n`)
  }

  json(value: unknown): void {
    this.io.stdout(`${JSON.stringify(this.reveal ? value : redactor.value(value))}\n`)
  }
}

/** An error as `--json` shows it: code, message, masked cause. Never a stack. */
export function errorJson(err: unknown): { code: string; message: string; cause?: unknown } {
  if (err instanceof HarnessError) {
    return { code: err.code, message: err.message, ...(err.cause === undefined ? {} : { cause: redactor.value(err.cause) }) }
  }
  const message = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)
  return { code: 'INTERNAL_ERROR', message: redactor.text(message) }
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
