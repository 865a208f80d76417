/**
 * Posting notifications: retried with backoff on 5xx/429/no connection, bounded in attempts and time, never
 * thrown; a 4xx is not retried. The waits are injected (no real sleeping).
 */
import { expect } from '@playwright/test'
import { createHttp } from '../../src/http/client.js'
import { postNotification } from '../../src/http/notify.js'
import { startCapture } from '../support/nightly.js'
import { test } from '../support/scrub.js'

test('retries 503 and 429 with growing waits, gives up after 4 attempts, never retries a 404', async () => {
  const capture = await startCapture()
  const http = createHttp({ timeoutMs: 2000, maxAttempts: 1 })
  try {
    const waits: number[] = []
    const sleep = (ms: number) => {
      waits.push(ms)
      return Promise.resolve()
    }
    const target = { url: `${capture.url}/hook`, format: 'generic' as const }
    capture.failNext(2, 503)
    expect(await postNotification(target, { a: 1 }, { http, sleep })).toMatchObject({ ok: true, attempts: 3, host: new URL(capture.url).host })
    expect(waits).toEqual([500, 1000])
    expect(capture.posts.map((p) => p.body)).toEqual([{ a: 1 }])
    capture.failNext(10, 429)
    expect(await postNotification(target, {}, { http, sleep })).toMatchObject({ ok: false, attempts: 4, reason: 'HTTP 429' })
    capture.failNext(1, 404)
    expect(await postNotification(target, {}, { http, sleep })).toMatchObject({ ok: false, attempts: 1, reason: 'HTTP 404' })
    // Bounded in time: with a 1.2 s budget the waits stop before it runs out.
    let clock = 0
    capture.failNext(10, 500)
    const r = await postNotification(target, {}, { http, budgetMs: 1200, now: () => clock, sleep: (ms) => ((clock += ms), Promise.resolve()) })
    expect(r).toMatchObject({ ok: false, attempts: 2 })
    // Nobody listening: an outcome, not an exception.
    expect(await postNotification({ url: 'http://127.0.0.1:9/hook', format: 'slack' }, {}, { http, sleep, maxAttempts: 2 })).toMatchObject({ ok: false, attempts: 2, reason: expect.stringMatching(/^NETWORK_/) })
  } finally {
    await http.close()
    await capture.close()
  }
})
