/**
 * `sf-oauth export postman` for real: newman (run as a library) runs the exported collection and
 * environment against the emulator; every assertion passes. Against an emulator whose code exchange
 * answers with a tampered signature, exactly one assertion fails: the signature's. Newman's JUnit report
 * is what the test reads. Heavy: a newman run takes seconds.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { exportCommand, POSTMAN_COLLECTION_FILE, POSTMAN_ENVIRONMENT_FILE } from '../../src/cli/commands/export.js'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { redactor } from '../../src/redact.js'
import { authorizeOverHttp, codeFrom, REDIRECT } from '../support/http-flow.js'
import { expect, test } from '../support/emulator.js'

interface NewmanRun { run(options: Record<string, unknown>, done: (err: Error | null, summary: unknown) => void): void }
const newman = createRequire(import.meta.url)('newman') as NewmanRun

interface EnvFile { values: { key: string; value: string; type: string }[] }
interface Case { name: string; classname: string; failure?: { message?: string } }

/** Export, fill in the secrets a user fills in (a fresh code from the emulator), run newman, parse its JUnit. */
async function runExported(emulator: RunningEmulator): Promise<{ cases: Case[]; env: EnvFile; collection: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sf-oauth-newman-'))
  const { app, user } = emulator.app.seed
  const io = { stdout: () => undefined, stderr: () => undefined }
  const config = ({ env: { SF_LOGIN_URL: emulator.url, SF_CLIENT_ID: app.clientId, SF_CLIENT_SECRET: app.clientSecret, SF_USERNAME: user.username, SF_PASSWORD: user.password, SF_REDIRECT_URI: REDIRECT } })
  expect(await exportCommand(['postman', '--out', dir], io, config)).toBe(0)
  const collection = readFileSync(join(dir, POSTMAN_COLLECTION_FILE), 'utf8')
  const env = JSON.parse(readFileSync(join(dir, POSTMAN_ENVIRONMENT_FILE), 'utf8')) as EnvFile
  const verifier = 'newman-verifier-0123456789-0123456789-0123456789'
  const code = codeFrom(await authorizeOverHttp(emulator, { verifier }))
  redactor.add(code)
  const filled = { ...env, values: env.values.map((v) => ({ ...v, value: ({ client_secret: app.clientSecret, code, code_verifier: verifier } as Record<string, string>)[v.key] ?? v.value })) }
  const junit = join(dir, 'newman.xml')
  await new Promise<void>((resolve, reject) => {
    newman.run({ collection: JSON.parse(collection) as unknown, environment: filled, reporters: ['junit'], reporter: { junit: { export: junit } } }, (err) => (err ? reject(err) : resolve()))
  })
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(readFileSync(junit, 'utf8')) as { testsuites: { testsuite: { testcase?: Case[] }[] } }
  return { cases: xml.testsuites.testsuite.flatMap((s) => s.testcase ?? []), env, collection }
}

test('the exported Postman collection runs green in newman against the emulator', async ({ emulator }) => {
  const { cases, env, collection } = await runExported(emulator)
  // Every request ran its tests: 7 requests, the token answers checked field by field.
  expect(new Set(cases.map((c) => c.classname.replace(/\W+$/, ''))).size).toBe(7)
  expect(cases.length).toBeGreaterThan(40)
  expect(cases.filter((c) => c.failure !== undefined).map((c) => `${c.classname}: ${c.name}`)).toEqual([])
  expect(cases.map((c) => c.name)).toContain('signature verifies: HMAC-SHA256(client_secret, id + issued_at)')
  // Secrets only as variables: nothing of the app's secret or user's password in the exported files.
  const { app, user } = emulator.app.seed
  for (const text of [collection, JSON.stringify(env)]) {
    expect(text).not.toContain(app.clientSecret)
    expect(text).not.toContain(user.password)
  }
  expect(env.values.filter((v) => v.type === 'secret').map((v) => [v.key, v.value])).toEqual(['client_secret', 'code_verifier', 'code', 'access_token', 'refresh_token'].map((k) => [k, '']))
})

test('against a tampered signature exactly the signature assertion fails', async ({ emulator }) => {
  emulator.app.configure({ tamperSignature: 'authorization_code' })
  const { cases } = await runExported(emulator)
  const failed = cases.filter((c) => c.failure !== undefined)
  expect(failed.map((c) => c.name)).toEqual(['signature verifies: HMAC-SHA256(client_secret, id + issued_at)'])
  expect(failed[0]?.classname).toMatch(/CodeExchange/i)
})
