/**
 * The `live` variants of the login-page scenarios (tests/scenarios/login-pages.spec.ts): the harness
 * against the org named by SF_*, one test per page, each asserting the same outcome code. Only a target
 * that can be steered (its emulator control API answers: in CI the emulator as its own process) shows the
 * pages on demand; against a real org every test here skips, saying why.
 *
 * Each test logs in as a user of its own (POST /__emulator/user) with the page switched on for that user
 * alone, so the org's other users, and the other live tests, never meet it. The few switches that exist
 * only for the org (the login page itself, the approval limit) are put back after the test.
 */
import { randomBytes } from 'node:crypto'
import { DEFAULT_BEHAVIOUR, type Behaviour } from '../../src/emulator/behaviour.js'
import { runWebServerFlow, type FlowOptions, type FlowResult } from '../../src/flow/web-server-flow.js'
import { redactor } from '../../src/redact.js'
import type { FlowTarget } from '../../src/targets/flow-target.js'
import { liveControl, liveMissing, liveSkipReason, liveSteerable, liveTarget } from '../support/live.js'
import { newPasskey } from '../support/passkey.js'
import { codeOf, expect, test as base } from '../support/test.js'

interface Steer {
  /** A new user of the target (its own username and password), with `switches` on for it alone. */
  user(switches?: Record<string, unknown>): Promise<FlowTarget>
  /** Switches for the whole org, put back to the defaults after the test. */
  org(switches: Partial<Behaviour>): Promise<void>
  /** Run the harness's flow in this test's page (the browser is shared by the tests of the worker). */
  run(target: FlowTarget, options?: Partial<Omit<FlowOptions, 'target' | 'page'>>): Promise<FlowResult>
}

const test = base.extend<{ steer: Steer }>({
  steer: async ({ page }, use, testInfo) => {
    const live = liveTarget()
    const loginUrl = live.target.loginUrl
    const why = await liveSteerable(loginUrl)
    testInfo.skip(why !== undefined, why)
    const undo: { user?: string; keys: string[] }[] = []
    await use({
      async user(switches = {}) {
        const username = `live.${randomBytes(6).toString('hex')}@example.com`
        const password = `Lp-${randomBytes(12).toString('base64url')}`
        redactor.add(password)
        await liveControl(loginUrl, 'user', { username, password })
        if (Object.keys(switches).length > 0) {
          await liveControl(loginUrl, 'configure', { user: username, ...switches })
          undo.push({ user: username, keys: Object.keys(switches) })
        }
        return { ...live.target, username, password }
      },
      async org(switches) {
        undo.push({ keys: Object.keys(switches) })
        await liveControl(loginUrl, 'configure', switches)
      },
      run: (target, options = {}) => runWebServerFlow({ timeoutMs: live.timeoutMs, ...options, target, page }),
    })
    // Back to the defaults (a user's own `remembered` would show every later login the chooser).
    const defaults = DEFAULT_BEHAVIOUR as unknown as Record<string, unknown>
    for (const u of undo.reverse()) {
      const keys = u.keys.map((k) => [k, k === 'remembered' ? false : defaults[k]] as const)
      await liveControl(loginUrl, 'configure', { ...(u.user === undefined ? {} : { user: u.user }), ...Object.fromEntries(keys) })
    }
  },
})

test.skip(liveMissing().length > 0, liveSkipReason())

const stepOf = (r: FlowResult, name: string) => r.steps.find((s) => s.name === name)?.detail

test('"Register Your Mobile Phone": skipped, never registered, said in the steps', async ({ steer }) => {
  const result = await steer.run(await steer.user({ phoneRegistration: true }))
  expect(stepOf(result, 'phone registration')).toBe('skipped "Register Your Mobile Phone" (Remind Me Later); no phone registered')
  expect(result.tokens.refreshToken).toBeDefined()
})

test('the maintenance page: continued to retURL once', async ({ steer }) => {
  const result = await steer.run(await steer.user({ maintenance: 'once' }))
  expect(stepOf(result, 'maintenance page')).toBe('continued to retURL')
  expect(result.tokens.refreshToken).toBeDefined()
})

test('the maintenance page again after continuing: ORG_MAINTENANCE', async ({ steer }) => {
  expect(await codeOf(steer.run(await steer.user({ maintenance: 'always' })))).toBe('ORG_MAINTENANCE')
})

test('"Change Your Password": PASSWORD_EXPIRED at once', async ({ steer }) => {
  expect(await codeOf(steer.run(await steer.user({ passwordExpired: true }), { timeoutMs: 60_000 }))).toBe('PASSWORD_EXPIRED')
})

for (const asks of ['totp', 'passkey', 'choose'] as const) {
  test(`verification-method registration required (${asks}): MFA_REGISTRATION_REQUIRED`, async ({ steer }) => {
    expect(await codeOf(steer.run(await steer.user({ mfaRegistration: asks }), { timeoutMs: 60_000 }))).toBe('MFA_REGISTRATION_REQUIRED')
  })
}

for (const method of ['sms', 'push', 'lightning'] as const) {
  test(`verification by ${method}: VERIFICATION_METHOD_UNSUPPORTED at once`, async ({ steer }) => {
    expect(await codeOf(steer.run(await steer.user({ verification: method }), { timeoutMs: 60_000 }))).toBe('VERIFICATION_METHOD_UNSUPPORTED')
  })
}

test('passkey verification without SF_PASSKEY_FILE: IDENTITY_VERIFICATION_REQUIRED at once', async ({ steer }) => {
  expect(await codeOf(steer.run(await steer.user({ verification: 'passkey' }), { timeoutMs: 60_000 }))).toBe('IDENTITY_VERIFICATION_REQUIRED')
})

test('passkey verification with a registered passkey: a refresh token headless, the sign count grown', async ({ steer }) => {
  const user = await steer.user({ verification: 'passkey' })
  // An IP address cannot be an RP ID: a loopback emulator is reached as localhost.
  const loginUrl = user.loginUrl.replace(/^http:\/\/127\.0\.0\.1:/, 'http://localhost:')
  const key = newPasskey(new URL(loginUrl).hostname)
  await liveControl(user.loginUrl, 'passkey', { username: user.username, credentialId: key.id, publicKey: key.publicKey.export({ format: 'der', type: 'spki' }).toString('base64') })
  const counts: number[] = []
  const result = await steer.run({ ...user, loginUrl }, { passkey: { credential: key.credential, onSignCount: (n) => void counts.push(n) } })
  expect(stepOf(result, 'identity verification')).toBe('passkey (virtual authenticator)')
  expect(result.tokens.refreshToken).toBeDefined()
  expect(counts[0]).toBeGreaterThan(0)
})

test('remembered username of another user (chooser): "Log In with a Different Username", then SF_USERNAME', async ({ steer }) => {
  await steer.user({ remembered: true })
  const result = await steer.run(await steer.user())
  expect(stepOf(result, 'choose username')).toContain('another user')
  expect(result.tokens.refreshToken).toBeDefined()
})

test('remembered-username card of another user: left by "Not you?", then SF_USERNAME logs in', async ({ steer }) => {
  await steer.org({ rememberedView: 'card' })
  await steer.user({ remembered: true })
  const result = await steer.run(await steer.user())
  expect(stepOf(result, 'choose username')).toContain('left its card')
  expect(result.tokens.refreshToken).toBeDefined()
})

test('single sign-on buttons on the login page are ignored', async ({ steer }) => {
  await steer.org({ ssoButtons: true, loginMode: 'two-step' })
  const result = await steer.run(await steer.user())
  expect(stepOf(result, 'login')).toBe('username, then password (two-step page)')
  expect(result.tokens.refreshToken).toBeDefined()
})

test('an org login flow page: FLOW_UNKNOWN_PAGE within seconds although SF_TIMEOUT_MS is 60 s', async ({ steer }) => {
  test.setTimeout(30_000)
  // A miss would wait for SF_TIMEOUT_MS (60 s) and so run into the test's own limit.
  const err = (await steer.run(await steer.user({ orgLoginFlow: true }), { timeoutMs: 60_000 }).catch((e: unknown) => e)) as Error & { code?: string }
  expect(err.code).toBe('FLOW_UNKNOWN_PAGE')
  expect(err.message).toContain('org login flow')
})

test('"Allow Access?" at the approval limit: approved, and the approval it revokes reported as a warning', async ({ steer }) => {
  await steer.org({ maxApprovals: 1 })
  const user = await steer.user()
  await steer.run(user)
  const second = await steer.run(user, { prompt: 'consent' })
  const warning = second.checks.find((c) => c.name === 'approval limit')
  expect(warning?.status).toBe('warn')
  expect(warning?.detail).toContain('revokes 1 older approval')
})
