/**
 * The worker's guard (tests/support/scrub.ts) on Playwright's worker → runner messages, without a
 * nested run: what leaves the worker is masked, and every file a message names is scrubbed first.
 * tests/heavy/scrub-any-reporter.spec.ts proves the whole with real reporters and traces.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { Redactor } from '../../src/redact.js'
import { readZip, writeZip } from '../../src/report/zip.js'
import { createGuard } from '../support/scrub.js'

const SECRET = 'Secret-Password-1'

function setup() {
  const r = new Redactor()
  r.add(SECRET)
  const dir = mkdtempSync(join(tmpdir(), 'guard-'))
  const out = join(dir, 'test-out')
  mkdirSync(out)
  const guard = createGuard(r)
  guard.watch('t1', out)
  return { guard, dir, out }
}

const event = (method: string, params: Record<string, unknown>) => ({ method: '__dispatch__', params: { method, params } })
const paramsOf = (m: unknown) => (m as { params: { params: Record<string, unknown> } }).params.params
const b64 = (s: string) => Buffer.from(s).toString('base64')
const unb64 = (s: unknown) => Buffer.from(String(s), 'base64').toString()

test('console chunks, step titles, step and test errors leave the worker masked; ids and paths unchanged', () => {
  const { guard } = setup()
  expect(paramsOf(guard.message(event('stdOut', { text: `pw=${SECRET}\n` }))).text).not.toContain(SECRET)
  expect(unb64(paramsOf(guard.message(event('stdErr', { buffer: b64(`token ${SECRET}`) }))).buffer)).toBe(`token ***…(${SECRET.length} chars)`)
  const begin = paramsOf(guard.message(event('stepBegin', { testId: 't1', stepId: 's1', title: `refresh with ${SECRET}`, location: { file: '/x/a.spec.ts', line: 1 } })))
  expect(begin).toEqual({ testId: 't1', stepId: 's1', title: 'refresh with ***…(17 chars)', location: { file: '/x/a.spec.ts', line: 1 } })
  const stepEnd = paramsOf(guard.message(event('stepEnd', { testId: 't1', stepId: 's1', error: { message: `Expected: "${SECRET}"`, stack: `Error: ${SECRET}\n at x` } })))
  expect(JSON.stringify(stepEnd)).not.toContain(SECRET)
  const end = paramsOf(guard.message(event('testEnd', { testId: 't1', status: 'failed', errors: [{ message: SECRET, value: SECRET }], annotations: [{ type: 'n', description: SECRET }] })))
  expect(JSON.stringify(end)).not.toContain(SECRET)
  expect(end.status).toBe('failed')
})

test('console writes are masked at the source too, strings and bytes', () => {
  const { guard } = setup()
  expect(guard.chunk(`a ${SECRET}`)).toBe('a ***…(17 chars)')
  expect(Buffer.from(guard.chunk(Buffer.from(SECRET)) as Uint8Array).toString()).toBe('***…(17 chars)')
})

test('attachment bodies are masked; binary bodies pass as they are', () => {
  const { guard } = setup()
  expect(unb64(paramsOf(guard.message(event('attach', { testId: 't1', name: 'tokens', contentType: 'application/json', body: b64(`{"password":"${SECRET}"}`) }))).body)).not.toContain(SECRET)
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]).toString('base64')
  expect(paramsOf(guard.message(event('attach', { testId: 't1', name: 'shot', body: png }))).body).toBe(png)
})

test('a trace named by an attach message is scrubbed in place before the message leaves', () => {
  const { guard, out } = setup()
  const trace = join(out, 'trace.zip')
  writeFileSync(trace, writeZip([{ name: 'trace.network', data: Buffer.from(`{"postData":"un=u&pw=${encodeURIComponent(SECRET)}"}`) }, { name: 'test.trace', data: Buffer.from(`{"text":"${SECRET}"}`) }]))
  const sent = paramsOf(guard.message(event('attach', { testId: 't1', name: 'trace', path: trace, contentType: 'application/zip' })))
  expect(sent.path).toBe(trace)
  for (const e of readZip(readFileSync(trace))) expect(e.data.toString()).not.toContain('Secret')
})

test('a file outside the test output directory is not changed: a scrubbed copy is attached instead', () => {
  const { guard, dir, out } = setup()
  const mine = join(dir, 'tokens.json')
  writeFileSync(mine, `{"refresh_token":"${SECRET}"}`)
  const sent = paramsOf(guard.message(event('attach', { testId: 't1', name: 'tokens', path: mine })))
  expect(readFileSync(mine, 'utf8')).toContain(SECRET)
  expect(String(sent.path).startsWith(join(out, 'attachments'))).toBe(true)
  expect(readFileSync(String(sent.path), 'utf8')).not.toContain(SECRET)
})

test("a test's end scrubs every file of its output directory (error-context.md, files no message names)", () => {
  const { guard, out } = setup()
  mkdirSync(join(out, 'sub'))
  writeFileSync(join(out, 'error-context.md'), `Expected ${SECRET}`)
  writeFileSync(join(out, 'sub', 'log.txt'), `pw=${SECRET}`)
  guard.message(event('testEnd', { testId: 't1', status: 'failed', errors: [] }))
  expect(readFileSync(join(out, 'error-context.md'), 'utf8')).not.toContain(SECRET)
  expect(readFileSync(join(out, 'sub', 'log.txt'), 'utf8')).not.toContain(SECRET)
})

test('fails closed: a zip the scrubber cannot read is removed, not handed on', () => {
  const { guard, out } = setup()
  const bad = join(out, 'trace.zip')
  writeFileSync(bad, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(`truncated ${SECRET}`)]))
  guard.message(event('attach', { testId: 't1', name: 'trace', path: bad }))
  expect(existsSync(bad)).toBe(false)
})

test('messages that are not test output pass untouched', () => {
  const { guard } = setup()
  for (const m of [{ method: '__heartbeat__' }, { method: '__dispatch__', params: { id: 3, result: { x: SECRET } } }, { method: 'ready' }]) expect(guard.message(m)).toBe(m)
})
