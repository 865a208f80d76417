/**
 * Standard input for `sf-oauth exchange`: the redirected URL is read from stdin, never from argv (argv
 * lands in shell history and in `ps`). On a terminal the prompt hides what is pasted, as a password
 * prompt does; from a pipe, the whole input (bounded) is read.
 */
import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { UsageError } from '../errors.js'

export interface Input {
  /** Read one pasted value; `prompt` is shown (on stderr) only on a terminal. */
  read(prompt: string): Promise<string>
}

/** A redirected URL is under 1 KB; more is not one. */
const MAX_INPUT_BYTES = 64 * 1024

export const processInput: Input = {
  read: (prompt) => (process.stdin.isTTY ? hiddenLine(prompt) : readAll(process.stdin)),
}

/** One line from the terminal, not echoed. */
function hiddenLine(prompt: string): Promise<string> {
  process.stderr.write(prompt)
  const muted = new Writable({ write: (_chunk, _enc, done) => done() })
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true })
  return new Promise((resolve, reject) => {
    let answered = false
    rl.once('line', (line) => {
      answered = true
      rl.close()
      process.stderr.write('\n')
      resolve(line)
    })
    rl.once('close', () => {
      if (!answered) reject(new UsageError('exchange: the input ended before a URL was pasted: run it again and paste the redirected URL, then Enter'))
    })
    // Ctrl+C in raw mode reaches readline, not the process: stop here, nothing sent.
    rl.once('SIGINT', () => {
      process.stderr.write('\n')
      reject(new UsageError('exchange: cancelled (Ctrl+C) before a URL was pasted: nothing was sent, the pending file is kept'))
      answered = true
      rl.close()
    })
  })
}

/** Everything from a pipe or file, at most MAX_INPUT_BYTES. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk)
    size += b.length
    if (size > MAX_INPUT_BYTES) throw new UsageError(`exchange: standard input is over ${MAX_INPUT_BYTES} bytes: pipe in the redirected URL only`)
    chunks.push(b)
  }
  return Buffer.concat(chunks).toString('utf8')
}
