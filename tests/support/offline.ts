/**
 * The offline target: no browser, no emulator, the real network refused. Salesforce's answers come from
 * fixtures/salesforce/** through nock interceptors, under the harness's own global fetch. An auto fixture
 * refuses the network before each test and fails the test when any interceptor was left unused.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from '@playwright/test'
import nock from 'nock'
import { FAKE_INSTANCE_URL, FAKE_LOGIN_URL } from '../../src/record/fakes.js'
import { test as base } from './scrub.js'

export { expect }

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures', import.meta.url))
const SALESFORCE_DIR = join(FIXTURES_DIR, 'salesforce')

export interface SalesforceFixture {
  readonly name: string
  readonly source: string
  readonly request: { readonly method: 'GET' | 'POST'; readonly path: string; readonly form?: Readonly<Record<string, string>>; readonly host?: 'instance' }
  readonly response?: { readonly status: number; readonly headers: Record<string, string>; readonly body: string }
  readonly fault?: 'timeout' | 'reset'
  /** The harness's error code for this answer, or `ok`. */
  readonly expect: string
}

export function loadFixture(name: string): SalesforceFixture {
  return JSON.parse(readFileSync(join(SALESFORCE_DIR, `${name}.json`), 'utf8')) as SalesforceFixture
}

/** Every fixture name under fixtures/salesforce, e.g. `token/refresh_token/200-rotation`. */
export function fixtureNames(): string[] {
  return readdirSync(SALESFORCE_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => relative(SALESFORCE_DIR, join(SALESFORCE_DIR, f)).replace(/\.json$/, '').split('\\').join('/'))
    .sort()
}

/** Offline clients' time limit: generous, a loaded CI machine must not turn answers into time-outs. */
export const OFFLINE_TIMEOUT_MS = 5_000
/** The limit the time-out fixture is met with; that fixture answers far later than this. */
export const SHORT_TIMEOUT_MS = 300

function formOf(body: unknown): Record<string, unknown> {
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body))
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
}

/**
 * Salesforce answers `name` once. `match` adds request parameters the call must carry (on top of the
 * fixture's own, e.g. grant_type), so a test also proves what the harness sent.
 */
export function answer(name: string, match: Readonly<Record<string, string>> = {}): SalesforceFixture {
  const f = loadFixture(name)
  const origin = f.request.host === 'instance' ? FAKE_INSTANCE_URL : FAKE_LOGIN_URL
  const wanted = { ...f.request.form, ...match }
  const interceptor = f.request.method === 'POST'
    ? nock(origin).post(f.request.path, (body) => Object.entries(wanted).every(([k, v]) => formOf(body)[k] === v))
    : nock(origin).get(f.request.path).matchHeader('authorization', (v) => match.authorization === undefined || v === match.authorization)
  if (f.fault === 'timeout') interceptor.delay(OFFLINE_TIMEOUT_MS * 2).reply(504, '')
  else if (f.fault === 'reset') interceptor.replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
  else if (f.response) interceptor.reply(f.response.status, f.response.body, f.response.headers)
  return f
}

/**
 * The guard every offline test ends with: fails when an interceptor was left unused (the harness did not
 * make a call the test expected), and clears all interceptors either way.
 */
export function assertAllConsumed(): void {
  const unused = nock.pendingMocks()
  nock.cleanAll()
  nock.abortPendingRequests()
  expect(unused, 'every interceptor must be consumed: an unused one means the harness did not make a call the test expected').toEqual([])
}

export const test = base.extend<{ _nockGuard: undefined }>({
  _nockGuard: [
    async ({}, use) => {
      nock.disableNetConnect()
      await use(undefined)
      assertAllConsumed()
    },
    { auto: true, box: true },
  ],
})
