import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect } from '@playwright/test'
import { test as base } from '../support/scrub.js'
import { createHttp as createHttpClient, EXCHANGE_CHANNEL, type Exchange, type Http, type HttpOptions } from '../../src/http/client.js'

type Handler = Parameters<typeof createServer>[1]
interface Served { url: string; server: Server; hits: () => number }

/** Fixtures: throwaway loopback servers and HTTP clients, all closed after each test. */
const test = base.extend<{ serve: (handler: Handler) => Promise<Served>; createHttp: (o: HttpOptions) => Http }>({
  serve: async ({}, use) => {
    const servers: Server[] = []
    await use(async (handler) => {
      let hits = 0
      const server = createServer((req, res) => {
        hits++
        handler?.(req, res)
      })
      servers.push(server)
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
      return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, hits: () => hits }
    })
    for (const s of servers) {
      s.closeAllConnections()
      await new Promise((r) => s.close(r))
    }
  },
  createHttp: async ({}, use) => {
    const clients: Http[] = []
    await use((o) => {
      const c = createHttpClient(o)
      clients.push(c)
      return c
    })
    await Promise.all(clients.map((c) => c.close()))
  },
})

async function failureCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
  } catch (err) {
    return (err as { code?: string }).code
  }
  return undefined
}

const noSleep = () => Promise.resolve()

test.describe('http client', () => {

  test('sends a form body and returns status, lower-case headers and text', async ({ serve, createHttp }) => {
    const s = await serve((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ct: req.headers['content-type'], body })))
    })
    const http = createHttp({ timeoutMs: 2000 })
    const r = await http.send({ method: 'POST', url: `${s.url}/t`, body: new URLSearchParams({ a: 'b c' }), idempotent: false })
    expect(r.status).toBe(200)
    expect(r.headers['content-type']).toBe('application/json')
    expect(JSON.parse(r.body)).toEqual({ ct: 'application/x-www-form-urlencoded', body: 'a=b+c' })
  })

  test('a slow answer ends in NETWORK_TIMEOUT', async ({ serve, createHttp }) => {
    const s = await serve(() => undefined) // never answers
    const http = createHttp({ timeoutMs: 300 })
    expect(await failureCode(http.send({ method: 'GET', url: s.url, idempotent: true }))).toBe('NETWORK_TIMEOUT')
  })

  test('a refused connection is retried (never reached the server), then NETWORK_CONNECT_FAILED', async ({ serve, createHttp }) => {
    const s = await serve(() => undefined)
    const url = s.url
    await new Promise((r) => s.server.close(r))
    let waits = 0
    const http = createHttp({ timeoutMs: 1000, maxAttempts: 3, sleep: () => { waits++; return Promise.resolve() } })
    expect(await failureCode(http.send({ method: 'POST', url, body: 'x', idempotent: false }))).toBe('NETWORK_CONNECT_FAILED')
    expect(waits).toBe(2)
  })

  test('503 with Retry-After is retried for idempotent calls only', async ({ serve, createHttp }) => {
    let n = 0
    const s = await serve((_req, res) => {
      n++
      if (n === 1) res.writeHead(503, { 'Retry-After': '1', 'Content-Type': 'text/html' }).end('<html>maintenance</html>')
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}')
    })
    const http = createHttp({ timeoutMs: 2000, sleep: noSleep })
    expect((await http.send({ method: 'GET', url: s.url, idempotent: true })).status).toBe(200)
    expect(s.hits()).toBe(2)
    n = 0
    // A code exchange is never re-sent: the 503 comes back to the caller.
    expect((await http.send({ method: 'POST', url: s.url, body: 'code=x', idempotent: false })).status).toBe(503)
    expect(s.hits()).toBe(3)
  })

  test('a reset mid-answer is NETWORK_ERROR and is not retried', async ({ serve, createHttp }) => {
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' })
      res.write('{"access_token":"00D')
      setImmediate(() => res.socket?.destroy())
    })
    const http = createHttp({ timeoutMs: 2000, sleep: noSleep })
    expect(await failureCode(http.send({ method: 'POST', url: s.url, body: 'code=x', idempotent: false }))).toBe('NETWORK_ERROR')
    expect(s.hits()).toBe(1)
  })

  test('a 20 MB answer is refused as RESPONSE_TOO_LARGE without reading it all', async ({ serve, createHttp }) => {
    const chunk = Buffer.alloc(1024 * 1024, 'a')
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' })
      let sent = 0
      const pump = () => {
        while (sent < 20 && res.write(chunk)) sent++
        if (sent >= 20) res.end()
        else res.once('drain', pump)
      }
      pump()
    })
    const http = createHttp({ timeoutMs: 5000 })
    expect(await failureCode(http.send({ method: 'GET', url: s.url, idempotent: true }))).toBe('RESPONSE_TOO_LARGE')
  })

  test('redirects are not followed (a redirect loop ends at once)', async ({ serve, createHttp }) => {
    const s = await serve((_req, res) => res.writeHead(302, { Location: '/again' }).end())
    const http = createHttp({ timeoutMs: 2000 })
    const r = await http.send({ method: 'POST', url: s.url, body: 'x', idempotent: false })
    expect(r.status).toBe(302)
    expect(r.headers.location).toBe('/again')
    expect(s.hits()).toBe(1)
  })

  test('every exchange is reported to the observer', async ({ serve, createHttp }) => {
    const s = await serve((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}'))
    const seen: number[] = []
    const http = createHttp({ timeoutMs: 2000, onExchange: (e) => seen.push(e.response?.status ?? 0) })
    await http.send({ method: 'GET', url: s.url, idempotent: true })
    expect(seen).toEqual([200])
  })
})

test('every exchange of every client is published on EXCHANGE_CHANNEL while someone subscribes, and on onExchange of its own client', async ({ serve, createHttp }) => {
  const s = await serve((_req, res) => res.end('{}'))
  const published: unknown[] = []
  const own: unknown[] = []
  const onPublish = (e: unknown) => published.push(e)
  subscribe(EXCHANGE_CHANNEL, onPublish)
  try {
    await createHttp({ timeoutMs: 2_000, onExchange: (e) => own.push(e) }).send({ method: 'GET', url: `${s.url}/a`, idempotent: true })
    await createHttp({ timeoutMs: 2_000 }).send({ method: 'GET', url: `${s.url}/b`, idempotent: true })
  } finally {
    unsubscribe(EXCHANGE_CHANNEL, onPublish)
  }
  await createHttp({ timeoutMs: 2_000 }).send({ method: 'GET', url: `${s.url}/c`, idempotent: true })
  expect(published.map((e) => (e as Exchange).request.url)).toEqual([`${s.url}/a`, `${s.url}/b`])
  expect(own).toEqual([published[0]])
})
