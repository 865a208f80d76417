/**
 * guardStderr (src/cli/output.ts): what a library writes straight to the process's stderr (Playwright's
 * DEBUG=pw:api log names the callback URL with its code) is redacted on the way out. The real process
 * run is tests/heavy/cli-process.spec.ts.
 */
import { Writable } from 'node:stream'
import { expect } from '@playwright/test'
import { guardStderr } from '../../src/cli/output.js'
import { Redactor } from '../../src/redact.js'
import { test } from '../support/scrub.js'

const PASSWORD = 'guard-Passw0rd!'
const CODE = `aPrx${'Q'.repeat(60)}%3D%3D`

function collector(): { stream: Writable; raw: unknown[]; written: () => string } {
  const raw: unknown[] = []
  const stream = new Writable({
    write(chunk: unknown, _encoding, done) {
      raw.push(chunk)
      done()
    },
  })
  return { stream, raw, written: () => Buffer.concat(raw.map((c) => (Buffer.isBuffer(c) ? c : Buffer.from(String(c))))).toString('utf8') }
}

test('strings and whole UTF-8 buffers are redacted: a registered password, a code by its shape', () => {
  const out = collector()
  const r = new Redactor()
  r.add(PASSWORD)
  guardStderr(out.stream, (t) => r.text(t))
  out.stream.write(`pw:protocol SEND {"params":{"arguments":[{"value":"${PASSWORD}"}]}}\n`)
  out.stream.write(Buffer.from(`pw:api navigated to "http://localhost:1717/OauthRedirect?code=${CODE}&state=s" ✓\n`, 'utf8'))
  const text = out.written()
  expect(text).not.toContain(PASSWORD)
  expect(text).not.toContain(CODE.slice(0, 20))
  expect(text).toContain('pw:protocol SEND')
  expect(text).toContain('code=aPrx…(')
  expect(text).toContain('✓')
})

test('a write keeps its encoding and callback; a chunk that is not whole UTF-8 passes unchanged; installed once', async () => {
  const out = collector()
  let calls = 0
  const redact = (t: string) => {
    calls++
    return t.replaceAll('secret', '******')
  }
  guardStderr(out.stream, redact)
  guardStderr(out.stream, redact)
  await new Promise<void>((resolve) => out.stream.write('a secret\n', 'utf8', () => resolve()))
  expect(calls).toBe(1)
  // The first byte of a two-byte character: cannot be read, so it goes out as it came.
  const half = Buffer.from([0xc3])
  out.stream.write(half)
  expect(out.raw.at(-1)).toEqual(half)
  expect(out.written()).toContain('a ******\n')
})
