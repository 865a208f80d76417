/**
 * Property-based: the HTTP client against a raw loopback server that answers any status line, header and
 * body. Each send returns a 200-599 answer or throws a typed error with a known code; never a RangeError,
 * never INTERNAL_ERROR.
 */
import assert from 'node:assert/strict'
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { expect, test as base } from '@playwright/test'
import { createHttp, type Http } from '../../src/http/client.js'
import { SEED, typedOutcomeAsync } from '../support/properties.js'

const KNOWN = ['HTTP_STATUS_INVALID', 'HTTP_PROTOCOL_ERROR', 'NETWORK_ERROR', 'RESPONSE_TOO_LARGE']

/** One raw TCP server per test: each connection gets `answer` (set per run) and is closed. */
const test = base.extend<{ raw: { url: string; answer: (bytes: Buffer) => void }; http: Http }>({
  raw: async ({}, use) => {
    let next: Buffer = Buffer.alloc(0)
    const sockets = new Set<Socket>()
    const server: Server = createServer((s) => {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => undefined)
      s.once('data', () => s.end(next))
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    await use({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/oauth2/token`, answer: (b) => { next = b } })
    for (const s of sockets) s.destroy()
    await new Promise((r) => server.close(r))
  },
  http: async ({}, use) => {
    const http = createHttp({ timeoutMs: 5_000, maxAttempts: 1, sleep: () => Promise.resolve() })
    await use(http)
    await http.close()
  },
})

const statusLine = fc.oneof(
  fc.integer({ min: 0, max: 999 }).map((n) => `HTTP/1.1 ${String(n).padStart(3, '0')} X`),
  fc.constantFrom('HTTP/1.1 999 X', 'HTTP/1.1 099 X', 'HTTP/1.1 600 Nope', 'HTTP/1.1 101 Switching', 'HTTP/1.1 1000 X', 'HTTP/1.1 abc X', 'HTTP/1.1 200', 'HTTP/1.0 200 OK', 'HTTP/2 200', 'ICY 200 OK', ''),
  fc.string({ maxLength: 20 }),
)
const header = fc.oneof(
  fc.constantFrom('Content-Type: application/json', 'Content-Type: text/html', 'Retry-After: 1', 'Location: http://[', 'Content-Length: 5', 'Content-Length: abc', 'Transfer-Encoding: chunked', 'X: \u00ff'),
  fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,10}$/), fc.string({ maxLength: 20 })).map(([k, v]) => `${k}: ${v}`),
)
const raw = fc.record({ status: statusLine, headers: fc.array(header, { maxLength: 3 }), body: fc.oneof(fc.constantFrom('{}', '', '{"error":"invalid_grant"}'), fc.string({ maxLength: 40 })) })
  .map((r) => Buffer.from(`${r.status}\r\n${r.headers.join('\r\n')}${r.headers.length ? '\r\n' : ''}Connection: close\r\n\r\n${r.body}`, 'latin1'))

test('any status line, headers and body: a 200-599 answer or a known typed error', async ({ raw: server, http }) => {
  // A real loopback round trip per run: fewer runs than the pure parsers, still well over a minute's worth on a busy machine.
  test.setTimeout(180_000)
  await fc.assert(fc.asyncProperty(raw, async (bytes) => {
    server.answer(bytes)
    const out = await typedOutcomeAsync(() => http.send({ method: 'POST', url: server.url, body: new URLSearchParams({ grant_type: 'refresh_token' }), idempotent: false }), KNOWN)
    if (out.ok) assert.ok(out.value.status >= 200 && out.value.status <= 599, `status ${out.value.status}`)
    else if (out.code === 'HTTP_STATUS_INVALID') assert.match(out.error.message, /outside HTTP's 200-599/)
  }), { seed: SEED, numRuns: 300 })
})

test('a well-formed answer with any status from 200 to 599 comes back as sent (but 204/205/304, which have no body)', async ({ raw: server, http }) => {
  test.setTimeout(120_000)
  await fc.assert(fc.asyncProperty(fc.integer({ min: 200, max: 599 }).filter((s) => ![204, 205, 304].includes(s)), fc.string({ maxLength: 30 }), async (status, body) => {
    server.answer(Buffer.from(`HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`))
    const r = await http.send({ method: 'GET', url: server.url, idempotent: true })
    assert.equal(r.status, status)
    assert.equal(r.body, body)
  }), { seed: SEED, numRuns: 200 })
})

test('regression: a status outside 200-599 is HTTP_STATUS_INVALID, an unparsable one HTTP_PROTOCOL_ERROR (was a 999 answer or a misleading "reset")', async ({ raw: server, http }) => {
  const codeFor = async (line: string) => {
    server.answer(Buffer.from(`${line}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`))
    const out = await typedOutcomeAsync(() => http.send({ method: 'GET', url: server.url, idempotent: true }), KNOWN)
    return out.ok ? `answered ${out.value.status}` : out.code
  }
  expect(await codeFor('HTTP/1.1 999 X')).toBe('HTTP_STATUS_INVALID')
  expect(await codeFor('HTTP/1.1 600 X')).toBe('HTTP_STATUS_INVALID')
  expect(await codeFor('HTTP/1.1 099 X')).toBe('HTTP_STATUS_INVALID')
  expect(await codeFor('HTTP/1.1 abc X')).toBe('HTTP_PROTOCOL_ERROR')
  expect(await codeFor('HTTP/1.1 200 OK')).toBe('answered 200')
})

test('regression: the exchange of a 999 answer is recorded as a failure with its code, so a transcript replays it', async ({ raw: server }) => {
  const seen: { errorCode: string | undefined; response: unknown }[] = []
  const http = createHttp({ timeoutMs: 5_000, onExchange: (x) => seen.push({ errorCode: x.errorCode, response: x.response }) })
  try {
    server.answer(Buffer.from('HTTP/1.1 999 X\r\nConnection: close\r\n\r\n'))
    await typedOutcomeAsync(() => http.send({ method: 'GET', url: server.url, idempotent: true }), KNOWN)
  } finally {
    await http.close()
  }
  expect(seen).toEqual([{ errorCode: 'HTTP_STATUS_INVALID', response: undefined }])
})
