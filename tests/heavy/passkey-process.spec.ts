/**
 * Passkeys end to end as a user runs them: `sf-oauth emulator` as its own process at
 * http://localhost:PORT (an IP address cannot be a WebAuthn RP ID), `sf-oauth passkey enrol` on its
 * registration prompt, then `sf-oauth flow` with SF_PASSKEY_FILE through "Log In With a Passkey". Real
 * processes and two browser launches, so heavy; in process: tests/scenarios/login-pages.spec.ts.
 */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { emptyDir, runCli, test } from '../support/cli.js'
import { redactor } from '../../src/redact.js'

interface SavedPasskey {
  credentialId: string
  isResidentCredential: boolean
  rpId: string
  privateKey: string
  userHandle: string
  signCount: number
}

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as SavedPasskey

test('passkey enrol saves a 0600 credential, and flow with SF_PASSKEY_FILE then logs in headless: exit 0, masked refresh token, sign count grown', async ({ org }) => {
  test.setTimeout(120_000)
  const env = { ...org.env, SF_LOGIN_URL: org.url.replace('://127.0.0.1:', '://localhost:') }
  await org.control('configure', { mfaRegistration: 'passkey' })
  const file = join(emptyDir(), 'passkey.json')

  const enrol = await runCli(['passkey', 'enrol', '--out', file], { env })
  expect(enrol.stderr).toBe('')
  expect(enrol.code).toBe(0)
  expect(enrol.stdout).toContain('passkey for localhost created on the registration prompt')
  expect(statSync(file).mode & 0o777).toBe(0o600)
  const enrolled = read(file)
  redactor.add(enrolled.privateKey)
  expect(enrolled).toMatchObject({ rpId: 'localhost', credentialId: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/), privateKey: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) })
  expect(enrolled.signCount).toBeGreaterThanOrEqual(0)
  expect((await org.state()).counts.passkeys).toBe(1)

  // A new process and browser, no session: the org now asks for the passkey.
  await org.control('configure', { verification: 'passkey' })
  const flow = await runCli(['flow'], { env: { ...env, SF_PASSKEY_FILE: file } })
  expect(flow.stderr).toBe('')
  expect(flow.code).toBe(0)
  expect(flow.stdout).toMatch(/✓ identity verification\s+\d+ ms\s+passkey \(virtual authenticator\)/)
  expect(flow.stdout).toMatch(/refresh token {2}5Aep…\(\d+ chars\)/)
  expect(flow.stdout).not.toMatch(/5Aep861[A-Za-z0-9._]{20}/)
  expect(flow.stdout).not.toContain(enrolled.privateKey)
  const after = read(file)
  expect(after.signCount).toBeGreaterThan(enrolled.signCount)
  expect({ ...after, signCount: 0 }).toEqual({ ...enrolled, signCount: 0 })
  expect(statSync(file).mode & 0o777).toBe(0o600)
})
