/**
 * `sf-oauth export bruno` for real: the Bruno CLI (`bru run`, its default safe sandbox) runs the exported
 * folder against the emulator and every test passes; against a tampered signature exactly the signature
 * test fails. Bruno's JUnit report is what the test reads. Heavy: a bru process per run.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { XMLParser } from 'fast-xml-parser'
import { exportCommand } from '../../src/cli/commands/export.js'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { BRUNO_ENVIRONMENT } from '../../src/interop/bruno.js'
import { redactor } from '../../src/redact.js'
import { baseEnv } from '../support/env.js'
import { authorizeOverHttp, codeFrom, REDIRECT } from '../support/http-flow.js'
import { expect, test } from '../support/emulator.js'

test.setTimeout(120_000)

const BRU = join(dirname(createRequire(import.meta.url).resolve('@usebruno/cli/package.json')), 'bin', 'bru.js')

interface Case { name: string; classname: string; failure?: unknown }

async function runExported(emulator: RunningEmulator): Promise<{ cases: Case[]; exit: number | null }> {
  const dir = join(mkdtempSync(join(tmpdir(), 'sf-oauth-bruno-')), 'collection')
  const { app, user } = emulator.app.seed
  const io = { stdout: () => undefined, stderr: () => undefined }
  const config = ({ env: { SF_LOGIN_URL: emulator.url, SF_CLIENT_ID: app.clientId, SF_CLIENT_SECRET: app.clientSecret, SF_USERNAME: user.username, SF_PASSWORD: user.password, SF_REDIRECT_URI: REDIRECT } })
  expect(await exportCommand(['bruno', '--out', dir], io, config)).toBe(0)
  const verifier = 'bruno-verifier-0123456789-0123456789-0123456789'
  const code = codeFrom(await authorizeOverHttp(emulator, { verifier }))
  redactor.add(code)
  const junit = join(dir, '..', 'bruno.xml')
  const vars = { client_secret: app.clientSecret, code, code_verifier: verifier }
  const args = [BRU, 'run', '--env', BRUNO_ENVIRONMENT, ...Object.entries(vars).flatMap(([k, v]) => ['--env-var', `${k}=${v}`]), '--reporter-junit', junit]
  const child = spawn(process.execPath, args, { cwd: dir, env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.resume()
  child.stderr.resume()
  const exit = await new Promise<number | null>((r) => child.on('close', r))
  const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testsuite' || name === 'testcase' }).parse(readFileSync(junit, 'utf8')) as { testsuites: { testsuite: { testcase?: Case[] }[] } }
  return { cases: xml.testsuites.testsuite.flatMap((s) => s.testcase ?? []), exit }
}

test('the exported Bruno collection runs green in bru against the emulator', async ({ emulator }) => {
  const { cases, exit } = await runExported(emulator)
  expect(new Set(cases.map((c) => c.classname)).size).toBe(7)
  expect(cases.length).toBeGreaterThan(40)
  expect(cases.filter((c) => c.failure !== undefined).map((c) => `${c.classname}: ${c.name}`)).toEqual([])
  expect(exit).toBe(0)
})

test('bru fails exactly the signature test against a tampered signature', async ({ emulator }) => {
  emulator.app.configure({ tamperSignature: 'authorization_code' })
  const { cases, exit } = await runExported(emulator)
  const failed = cases.filter((c) => c.failure !== undefined)
  expect(failed.map((c) => `${c.classname}: ${c.name}`)).toEqual(['2 code exchange: signature verifies: HMAC-SHA256(client_secret, id + issued_at)'])
  expect(exit).not.toBe(0)
})
