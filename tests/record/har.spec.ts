/**
 * The HAR masker (src/record/har.ts), pure: every place a secret can sit in a browser HAR (URL, relative
 * Location, form body, cookies, Set-Cookie, Authorization, a base64 page body) comes out as a known fake;
 * a HAR that is not ours is HAR_INVALID, before a browser starts.
 */
import { expect } from '@playwright/test'
import type { Entry, Har } from 'har-format'
import { buildHar, parseHar } from '../../src/record/har.js'
import { findCredentials } from '../../src/record/credential-check.js'
import { test } from '../support/scrub.js'

const LOGIN = 'https://acme.my.salesforce.com'
const PASSWORD = 'Correct-Horse-9'
const SECRET = 'ClientSecret0123456789abcdef0123456789abcdef0123456789abcdef0123'
const CODE = `aPrx${'q'.repeat(70)}==`
const ACCESS = `00D5g000000AbCd!${'A'.repeat(96)}`

function entry(method: string, url: string, extra: { post?: string; status?: number; headers?: [string, string][]; body?: string; base64?: boolean; reqHeaders?: [string, string][] } = {}): Entry {
  return {
    startedDateTime: '2026-01-01T00:00:00.000Z',
    time: 1,
    request: { method, url, httpVersion: 'HTTP/1.1', cookies: [{ name: 'sid', value: 'sessionsecretvalue' }], headers: (extra.reqHeaders ?? []).map(([name, value]) => ({ name, value })), queryString: [], headersSize: -1, bodySize: 0, ...(extra.post === undefined ? {} : { postData: { mimeType: 'application/x-www-form-urlencoded', text: extra.post } }) },
    response: { status: extra.status ?? 200, statusText: '', httpVersion: 'HTTP/1.1', cookies: [{ name: 'sid', value: 'sessionsecretvalue' }], headers: (extra.headers ?? []).map(([name, value]) => ({ name, value })), content: { size: 0, mimeType: 'text/html', ...(extra.body === undefined ? {} : { text: extra.base64 === true ? Buffer.from(extra.body).toString('base64') : extra.body, ...(extra.base64 === true ? { encoding: 'base64' } : {}) }) }, redirectURL: '', headersSize: -1, bodySize: 0 },
    cache: {},
    timings: { send: 0, wait: 1, receive: 0 },
  }
}

test('every place a secret sits in a browser HAR is masked; names, paths and page text are kept', () => {
  const raw: Har = {
    log: {
      version: '1.2',
      creator: { name: 'Playwright', version: '1' },
      entries: [
        entry('POST', `${LOGIN}/`, { post: `username=u%40example.com&pw=${encodeURIComponent(PASSWORD)}&startURL=%2Fsetup`, status: 302, headers: [['Set-Cookie', 'sid=sessionsecretvalue; Path=/; HttpOnly'], ['Location', `/cb?code=${encodeURIComponent(CODE)}&state=s1`]] }),
        entry('GET', `http://localhost:1717/OauthRedirect?code=${encodeURIComponent(CODE)}&state=s1`, { body: `<p>code ${CODE} for u@example.com</p>`, base64: true, reqHeaders: [['Cookie', 'sid=sessionsecretvalue; other=1'], ['Authorization', `Bearer ${ACCESS}`]] }),
      ],
    },
  }
  const har = buildHar({ known: { loginUrl: LOGIN, clientSecret: SECRET, password: PASSWORD, username: 'u@example.com' }, browser: raw, exchanges: [], outcome: { ok: false, code: 'CALLBACK_TIMEOUT' }, expectRefreshToken: true })
  const text = JSON.stringify(har)
  for (const secret of [PASSWORD, CODE, encodeURIComponent(CODE), ACCESS, 'sessionsecretvalue', 'u@example.com', LOGIN]) expect(text.includes(secret), 'a raw value survived').toBe(false)
  expect(findCredentials(text)).toEqual([])
  const [login, callback] = har.log.entries
  expect(new URLSearchParams(login?.request.postData?.text).get('pw')).toBe('FAKE-PASSWORD')
  expect(login?.response.headers.find((h) => h.name === 'Set-Cookie')?.value).toBe('sid=FAKE; Path=/; HttpOnly')
  expect(login?.response.headers.find((h) => h.name === 'Location')?.value).toMatch(/^\/cb\?code=aPrxFAKE\.AUTHORIZATION\.CODE\.0001\.A+%3D%3D&state=s1$/)
  expect(callback?.request.headers.find((h) => h.name === 'Cookie')?.value).toBe('sid=FAKE; other=FAKE')
  expect(callback?.request.headers.find((h) => h.name === 'Authorization')?.value).toMatch(/^Bearer 00DFAKE00000000!FAKE\.ACCESS\.TOKEN\./)
  expect(callback?.request.queryString.map((q) => q.name)).toEqual(['code', 'state'])
  expect(callback?.response.content).toMatchObject({ text: expect.stringMatching(/^<p>code aPrxFAKE.* for fake\.user@example\.com<\/p>$/) })
  expect(callback?.response.content.encoding).toBeUndefined()
  expect(har.log._sfOauth).toEqual({ format: 'sf-oauth-har/1', outcome: { ok: false, code: 'CALLBACK_TIMEOUT' }, expectRefreshToken: true })
  // What it wrote, it reads back.
  expect(parseHar(text, 'x.har').log.entries).toHaveLength(2)
})

test('a HAR that is not one of ours is HAR_INVALID, naming what is wrong', () => {
  const ok = { format: 'sf-oauth-har/1', outcome: { ok: true }, expectRefreshToken: false }
  const cases: [string, RegExp][] = [
    ['not json', /not JSON/],
    ['null', /log\.entries is missing/],
    [JSON.stringify({ log: { entries: [] } }), /log\._sfOauth\.format/],
    [JSON.stringify({ log: { entries: [null], _sfOauth: ok } }), /entry 0 has no request/],
    [JSON.stringify({ log: { entries: [{ request: { method: 'GET', url: 'http://x/' } }], _sfOauth: ok } }), /entry 0 has no response/],
    [JSON.stringify({ log: { entries: [], _sfOauth: { ...ok, outcome: null } } }), /log\._sfOauth\.format/],
  ]
  for (const [text, message] of cases) expect(() => parseHar(text, 'x.har')).toThrow(expect.objectContaining({ code: 'HAR_INVALID', message: expect.stringMatching(message) }))
})
