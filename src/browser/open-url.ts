/**
 * Opening the authorize URL in the person's own browser (`sf-oauth login`): the platform's opener
 * (`open` on macOS, `start` on Windows, `xdg-open` elsewhere) or a command of the user's (`--open-with`),
 * the URL as its last argument. No shell: the URL's `&` is never a shell's.
 */
import { spawn } from 'node:child_process'
import { sanitiseLine } from '../sanitise.js'
import { redactor } from '../redact.js'

export type OpenOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string }

/** The platform's opener, as argv (the URL is appended). */
export function platformOpener(platform: NodeJS.Platform = process.platform): { argv: string[]; verbatim: boolean } {
  if (platform === 'darwin') return { argv: ['open'], verbatim: false }
  // `start`'s first quoted argument is a window title; cmd must see the URL quoted, or its & splits the line.
  if (platform === 'win32') return { argv: ['cmd', '/d', '/s', '/c', 'start', '""'], verbatim: true }
  return { argv: ['xdg-open'], verbatim: false }
}

/**
 * `--open-with CMD` as argv: words split on white space, 'single' and "double" quotes group (no
 * expansion of any kind). Undefined when CMD is empty or a quote is left open.
 */
export function splitCommand(cmd: string): string[] | undefined {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | undefined
  for (const c of cmd) {
    if (quote !== undefined) {
      if (c === quote) quote = undefined
      else word += c
    } else if (c === '"' || c === "'") {
      quote = c
      inWord = true
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (quote !== undefined) return undefined
  if (inWord) words.push(word)
  return words.length === 0 ? undefined : words
}

/**
 * Start the opener with the URL as its last argument. Settles when it exits: ok on status 0, else the
 * reason (start failure, status or signal, and the last line it printed on stderr, redacted). The run
 * does not wait for it otherwise: a browser started by the opener outlives it.
 */
export function openUrl(argv: readonly string[], url: string, verbatim = false): Promise<OpenOutcome> {
  const [cmd, ...args] = argv
  if (cmd === undefined) return Promise.resolve({ ok: false, reason: 'no command' })
  return new Promise((resolve) => {
    let stderr = ''
    const child = spawn(cmd, [...args, verbatim ? `"${url}"` : url], { stdio: ['ignore', 'ignore', 'pipe'], windowsVerbatimArguments: verbatim })
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-2048)
    })
    const last = () => {
      const line = stderr.trim().split('\n').at(-1)
      return line === undefined || line === '' ? '' : `: ${sanitiseLine(redactor.text(line), 200)}`
    }
    child.once('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, reason: `${cmd} could not be started (${err.code ?? err.message})` }))
    // 'exit', not 'close': a browser the opener starts inherits its stderr and keeps the pipe open.
    child.once('exit', (code, signal) => resolve(code === 0 ? { ok: true } : { ok: false, reason: `${cmd} ${signal === null ? `exited with status ${code ?? '?'}` : `was killed by ${signal}`}${last()}` }))
    child.unref()
    ;(child.stderr as unknown as { unref?: () => void }).unref?.()
  })
}
