/**
 * The masked HAR of a flow: it validates against the HAR 1.2 schema, holds every page of the flow and the
 * harness's own calls, and no secret (the artifact scan finds nothing, nor any spelling of a secret the
 * emulator saw or issued during the run). A run that fails on a page the
 * harness cannot pass replays from its HAR in a network namespace with no network to the same error code.
 * Heavy: real browser runs, a nested process.
 */
import { spawn, spawnSync } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { Har } from 'har-format'
import { flowCommand } from '../../src/cli/commands/flow.js'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { exitCodeOf, HarnessError } from '../../src/errors.js'
import { HAR_FILE } from '../../src/record/har.js'
import { parseTranscript, TRANSCRIPT_FILE } from '../../src/record/transcript.js'
import { isKnownFake } from '../../src/record/fakes.js'
import { SECRET_CHANNEL } from '../../src/redact.js'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { BIN } from '../support/cli.js'
import { baseEnv } from '../support/env.js'
import { expect, test } from '../support/emulator.js'

test.setTimeout(180_000)

const require = createRequire(import.meta.url)
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

/** har-schema's draft-06 schemas, with Ajv and its formats (date-time, ipv4, ...). */
function harValidator() {
  const ajv = addFormats(new Ajv({ strict: false, allErrors: true }))
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object)
  const schemas = require('har-schema') as Record<string, object>
  for (const s of Object.values(schemas)) ajv.addSchema(s)
  const validate = ajv.getSchema('har.json#')
  if (validate === undefined) throw new Error('har-schema has no har.json')
  return validate
}

const io = { stdout: () => undefined, stderr: () => undefined }
function config(emulator: RunningEmulator, extra: Record<string, string> = {}) {
  const { app, user } = emulator.app.seed
  return ({ env: { SF_LOGIN_URL: emulator.url, SF_CLIENT_ID: app.clientId, SF_CLIENT_SECRET: app.clientSecret, SF_USERNAME: user.username, SF_PASSWORD: user.password, ...extra } })
}

function scan(dir: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, ['scripts/scan-artifacts.mjs', dir], { encoding: 'utf8' })
  return { code: r.status, out: `${r.stdout}${r.stderr}` }
}

test('flow --har writes a valid HAR 1.2 with every page of the flow and no secret', async ({ emulator }) => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-oauth-har-'))
  const file = join(dir, 'run.har')
  // Every new secret of the run (codes, verifier, tokens) as the emulator registers it.
  const issued: string[] = []
  const onSecret = (v: unknown) => issued.push(String(v))
  subscribe(SECRET_CHANNEL, onSecret)
  try {
    expect(await flowCommand(['--har', file, '--record', join(dir, 'rec')], io, config(emulator))).toBe(0)
  } finally {
    unsubscribe(SECRET_CHANNEL, onSecret)
  }
  const text = readFileSync(file, 'utf8')
  const har = JSON.parse(text) as Har
  const validate = harValidator()
  expect(validate(har), JSON.stringify(validate.errors)).toBe(true)
  // --record writes the same HAR beside the transcript.
  expect(readFileSync(join(dir, 'rec', HAR_FILE), 'utf8')).toBe(text)

  // Every page the flow went through (the transcript's page URLs, callback included), and the token call.
  const transcript = parseTranscript(readFileSync(join(dir, 'rec', TRANSCRIPT_FILE), 'utf8'), 'transcript')
  const where = (u: string) => { const x = new URL(u); return x.origin + x.pathname }
  const browser = har.log.entries.filter((e) => (e as { _source?: string })._source === 'browser').map((e) => where(e.request.url))
  // Pages committed (login, consent, callback) and the redirect hops between them (authorize).
  expect(transcript.pages.length).toBeGreaterThanOrEqual(3)
  for (const p of transcript.pages) expect(browser).toContain(where(p))
  expect(browser.some((u) => u.endsWith('/services/oauth2/authorize'))).toBe(true)
  expect(har.log.entries.filter((e) => e.request.method === 'POST').map((e) => new URL(e.request.url).pathname)).toEqual(['/', '/setup/secur/RemoteAccessAuthorizationPage.apexp', '/services/oauth2/token'])
  // Page bodies are kept: the login page and the consent page, masked.
  expect(har.log.entries.some((e) => e.response.content.text?.includes('id="oaapprove"'))).toBe(true)
  expect(har.log.entries.some((e) => e.response.content.text?.includes('id="username"'))).toBe(true)

  // Masked: the password form, the code in the redirect, every cookie.
  const login = har.log.entries.find((e) => e.request.method === 'POST' && new URL(e.request.url).pathname === '/')
  expect(new URLSearchParams(login?.request.postData?.text).get('pw')).toBe('FAKE-PASSWORD')
  expect(har.log.entries.flatMap((e) => [...e.request.cookies, ...e.response.cookies]).every((c) => c.value === 'FAKE')).toBe(true)
  const setCookies = har.log.entries.flatMap((e) => e.response.headers.filter((h) => h.name.toLowerCase() === 'set-cookie'))
  expect(setCookies.length).toBeGreaterThan(0)
  // Every cookie's value is masked, whatever its name (sid, and hid that ends a held login).
  for (const h of setCookies) expect(h.value).toMatch(/^[\w-]+=FAKE;/)
  expect(setCookies.some((h) => h.value.startsWith('sid=FAKE;'))).toBe(true)
  expect(text).toContain('aPrxFAKE.AUTHORIZATION.CODE.')
  const { app, user } = emulator.app.seed
  const secrets = [...issued, app.clientSecret, user.password].filter((v) => !isKnownFake(v))
  expect(secrets.filter((v) => v.startsWith('aPrx')).length).toBe(1)
  expect(secrets.filter((v) => v.startsWith('5Aep')).length).toBe(1)
  const leaked = secrets.filter((v) => [v, encodeURIComponent(v), new URLSearchParams({ v }).toString().slice(2), JSON.stringify(v).slice(1, -1)].some((form) => text.includes(form)))
  expect(leaked.length, 'secrets of the run found in the HAR').toBe(0)
  // The artifact scan passes the HAR, and fails it once a real secret is put in (it does read HARs).
  expect(scan(dir)).toMatchObject({ code: 0 })
  const planted = mkdtempSync(join(tmpdir(), 'sf-oauth-har-planted-'))
  copyFileSync(file, join(planted, 'run.har'))
  writeFileSync(join(planted, 'run.har'), text.replace('FAKE-PASSWORD', emulator.app.seed.user.password))
  expect(scan(planted).code).toBe(1)
})

test('a run stuck on a page the harness does not know replays offline, with no network, to the same error code', async ({ emulator }) => {
  const dir = mkdtempSync(join(tmpdir(), 'sf-oauth-har-fail-'))
  emulator.app.configure({ unknownInterstitial: true })
  const err = await flowCommand(['--record', dir], io, config(emulator, { SF_TIMEOUT_MS: '3000' })).then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(HarnessError)
  const recorded = (err as HarnessError).code
  // A settled page the state machine does not know: its own code, within seconds (not SF_TIMEOUT_MS).
  expect(recorded).toBe('FLOW_UNKNOWN_PAGE')
  const har = JSON.parse(readFileSync(join(dir, HAR_FILE), 'utf8')) as Har
  expect(har.log.entries.some((e) => e.response.content.text?.includes('interstitialContinue'))).toBe(true)

  // `unshare -rn`: a new network namespace, whose only interface (loopback) is down: no network at all.
  const offline = spawnSync('unshare', ['-rn', 'true']).status === 0
  test.skip(!offline, 'unshare -rn is not allowed here: the replay would not be proven offline')
  const child = spawn('unshare', ['-rn', process.execPath, BIN, 'replay', dir, '--json', '--timeout', '3000'], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  const code = await new Promise<number | null>((r) => child.on('close', r))
  const out = JSON.parse(stdout) as { recorded: { code: string }; replayed: { code: string }; reproduced: boolean; browser: string; misses: string[] }
  expect(out).toMatchObject({ recorded: { code: recorded }, replayed: { code: recorded }, reproduced: true, browser: recorded })
  expect(code).toBe(exitCodeOf(recorded))
})
