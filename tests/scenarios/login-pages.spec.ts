/**
 * Every page a real org may put between login and the callback (docs/login-pages.md), one emulator
 * switch each, and what the harness does there.
 */
import { mkdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { enrolPasskey } from '../../src/flow/passkey-enrol.js'
import { readPasskeyFile, writePasskeyFile } from '../../src/store/passkey-file.js'
import { newPasskey } from '../support/passkey.js'
import { codeOf, expect, test } from '../support/test.js'

const PHONE_PATH = '/_ui/identity/phone/AddPhoneNumber'

test('"Register Your Mobile Phone": skipped by "Remind Me Later", never registered, said in the steps', async ({ flow, emulator }) => {
  emulator.app.configure({ phoneRegistration: true })
  const result = await flow.run()
  expect(result.steps.find((s) => s.name === 'phone registration')?.detail).toBe('skipped "Register Your Mobile Phone" (Remind Me Later); no phone registered')
  // One request to the page (its GET): a registration would have posted to it.
  expect(emulator.app.state.hits.get(PHONE_PATH)).toBe(1)
  expect(result.tokens.refreshToken).toBeDefined()
})

test('the maintenance page: continued to retURL once', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ maintenance: 'once' })
  const result = await flow.run()
  expect(result.steps.find((s) => s.name === 'maintenance page')?.detail).toBe('continued to retURL')
  expect(result.tokens.refreshToken).toBeDefined()
})

test('the maintenance page again after continuing: ORG_MAINTENANCE', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ maintenance: 'always' })
  expect(await codeOf(flow.run())).toBe('ORG_MAINTENANCE')
})

test('"Change Your Password": PASSWORD_EXPIRED at once, the password unchanged', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ passwordExpired: true })
  expect(await codeOf(flow.run({}, { timeoutMs: 60_000 }))).toBe('PASSWORD_EXPIRED')
  expect(emulator.app.state.users.get(flow.target.username)?.password).toBe(flow.target.password)
  expect(emulator.app.state.hits.get('/_ui/system/security/ChangePassword')).toBe(1)
})

for (const asks of ['totp', 'passkey', 'choose'] as const) {
  test(`verification-method registration required (${asks}): MFA_REGISTRATION_REQUIRED with both ways out`, { tag: '@browser' }, async ({ flow, emulator }) => {
    emulator.app.configure({ mfaRegistration: asks })
    const err = await flow.run({}, { timeoutMs: 60_000 }).catch((e: unknown) => e as Error & { code?: string })
    expect((err as { code?: string }).code).toBe('MFA_REGISTRATION_REQUIRED')
    expect((err as Error).message).toContain('SF_TOTP_SECRET')
    expect((err as Error).message).toContain('sf-oauth passkey enrol')
    expect((err as Error).message).toContain({ totp: 'authenticator app', passkey: 'passkey', choose: 'a verification method' }[asks])
  })
}

for (const method of ['sms', 'push', 'lightning'] as const) {
  test(`verification by ${method}: VERIFICATION_METHOD_UNSUPPORTED at once`, { tag: '@browser' }, async ({ flow, emulator }) => {
    emulator.app.configure({ verification: method })
    expect(await codeOf(flow.run({}, { timeoutMs: 60_000 }))).toBe('VERIFICATION_METHOD_UNSUPPORTED')
  })
}

test('passkey verification without SF_PASSKEY_FILE: IDENTITY_VERIFICATION_REQUIRED at once', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ verification: 'passkey' })
  expect(await codeOf(flow.run({}, { timeoutMs: 60_000 }))).toBe('IDENTITY_VERIFICATION_REQUIRED')
})

test('passkey verification with a registered passkey: a refresh token headless, the sign count reported and stored', async ({ flow, emulator }) => {
  emulator.app.configure({ verification: 'passkey' })
  const key = newPasskey('localhost')
  emulator.app.state.passkeys.set(flow.target.username, [{ id: Buffer.from(key.id, 'base64url'), publicKey: key.publicKey, signCount: 0 }])
  const counts: number[] = []
  // An IP address cannot be an RP ID: the emulator is reached as localhost.
  const loginUrl = emulator.url.replace('127.0.0.1', 'localhost')
  const result = await flow.run({ loginUrl }, { passkey: { credential: key.credential, onSignCount: (n) => void counts.push(n) } })
  expect(result.steps.find((s) => s.name === 'identity verification')?.detail).toBe('passkey (virtual authenticator)')
  expect(result.tokens.refreshToken).toBeDefined()
  expect(counts).toHaveLength(1)
  expect(counts[0]).toBeGreaterThan(0)
  expect(emulator.app.state.passkeys.get(flow.target.username)?.[0]?.signCount).toBe(counts[0])
})

test('a passkey the org does not know: IDENTITY_VERIFICATION_FAILED', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ verification: 'passkey' })
  const registered = newPasskey('localhost')
  const other = newPasskey('localhost')
  // The same credential id, another key: the signature cannot verify.
  emulator.app.state.passkeys.set(flow.target.username, [{ id: Buffer.from(other.id, 'base64url'), publicKey: registered.publicKey, signCount: 0 }])
  expect(await codeOf(flow.run({ loginUrl: emulator.url.replace('127.0.0.1', 'localhost') }, { passkey: { credential: other.credential } }))).toBe('IDENTITY_VERIFICATION_FAILED')
})

test('remembered username of another user (chooser): "Log In with a Different Username", then SF_USERNAME', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ rememberedUsername: 'someone.else@example.com' })
  const result = await flow.run()
  expect(result.steps.find((s) => s.name === 'choose username')?.detail).toContain('another user')
  expect(result.tokens.refreshToken).toBeDefined()
})

test('remembered username that is SF_USERNAME (chooser): picked from the list', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ rememberedUsername: flow.target.username })
  const result = await flow.run()
  expect(result.steps.find((s) => s.name === 'choose username')?.detail).toBe('the remembered username is SF_USERNAME')
  expect(result.steps.find((s) => s.name === 'login')?.detail).toBe('password (remembered username)')
})

test('remembered-username card of another user: left by "Not you?", then SF_USERNAME logs in', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ rememberedUsername: 'someone.else@example.com', rememberedView: 'card' })
  const result = await flow.run()
  expect(result.steps.find((s) => s.name === 'choose username')?.detail).toContain('left its card')
  expect(result.tokens.refreshToken).toBeDefined()
})

test('single sign-on buttons on the login page are ignored', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ ssoButtons: true, loginMode: 'two-step' })
  const result = await flow.run()
  expect(emulator.app.state.hits.get('/saml/unknown-idp')).toBeUndefined()
  expect(result.tokens.refreshToken).toBeDefined()
})

test('an org login flow page: FLOW_UNKNOWN_PAGE within seconds although SF_TIMEOUT_MS is 60 s, naming title, path and fields', { tag: '@browser' }, async ({ flow, emulator }, testInfo) => {
  emulator.app.configure({ orgLoginFlow: true })
  const started = performance.now()
  // A miss would wait for SF_TIMEOUT_MS (60 s) and so run into the test's own limit.
  const err = (await flow.run({}, { timeoutMs: 60_000 }).catch((e: unknown) => e)) as Error & { code?: string; cause?: { title: string; path: string; fields: { name: string }[] } }
  testInfo.annotations.push({ type: 'unknown page detected after (ms)', description: String(Math.round(performance.now() - started)) })
  expect(err.code).toBe('FLOW_UNKNOWN_PAGE')
  expect(err.message).toContain('"Terms of Use" at /apex/TermsOfUseLoginFlow')
  expect(err.message).toContain('org login flow')
  expect(err.cause?.fields.map((f) => f.name)).toContain('j_id0:j_id2:accept')
})

test('"Allow Access?" at the approval limit: approved, and the approvals it revokes reported as a warning', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ maxApprovals: 1 })
  await flow.run()
  const second = await flow.run({}, { prompt: 'consent' })
  const warning = second.checks.find((c) => c.name === 'approval limit')
  expect(warning?.status).toBe('warn')
  expect(warning?.detail).toContain('revokes 1 older approval')
})

test.describe('passkey enrolment', () => {
  test('on the registration prompt; the saved file (0600) then logs in headless and its sign count is written back', { tag: '@browser' }, async ({ flow, emulator, page }, testInfo) => {
    emulator.app.configure({ mfaRegistration: 'passkey' })
    const loginUrl = emulator.url.replace('127.0.0.1', 'localhost')
    const enrolled = await enrolPasskey({ target: { ...flow.target, loginUrl }, timeoutMs: 10_000, page })
    expect(enrolled.where).toBe('prompt')
    expect(enrolled.credential.rpId).toBe('localhost')
    mkdirSync(testInfo.outputPath(), { recursive: true })
    const file = join(testInfo.outputPath(), 'passkey.json')
    await writePasskeyFile(file, enrolled.credential)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const credential = await readPasskeyFile(file)
    // A new browser (no session): the org now asks for the passkey.
    emulator.app.configure({ verification: 'passkey' })
    const browser = page.context().browser()
    if (browser === null) throw new Error('no browser')
    const ctx = await browser.newContext()
    try {
      const result = await flow.run({ loginUrl }, { page: await ctx.newPage(), passkey: { credential, onSignCount: (signCount) => writePasskeyFile(file, { ...credential, signCount }) } })
      expect(result.steps.find((s) => s.name === 'identity verification')?.detail).toBe('passkey (virtual authenticator)')
      expect(result.tokens.refreshToken).toBeDefined()
    } finally {
      await ctx.close()
    }
    expect((await readPasskeyFile(file)).signCount).toBeGreaterThan(credential.signCount)
  })

  test("without a prompt: on the user's own \"Create a Passkey\" page after login", { tag: '@browser' }, async ({ flow, emulator, page }) => {
    const enrolled = await enrolPasskey({ target: { ...flow.target, loginUrl: emulator.url.replace('127.0.0.1', 'localhost') }, timeoutMs: 10_000, page })
    expect(enrolled.where).toBe('own page')
    expect(emulator.app.state.passkeys.get(flow.target.username)).toHaveLength(1)
  })

  test('at an IP address (no RP ID possible): PASSKEY_ENROL_FAILED', { tag: '@browser' }, async ({ flow, emulator, page }) => {
    emulator.app.configure({ mfaRegistration: 'passkey' })
    expect(await codeOf(enrolPasskey({ target: flow.target, timeoutMs: 10_000, page }))).toBe('PASSKEY_ENROL_FAILED')
  })
})
