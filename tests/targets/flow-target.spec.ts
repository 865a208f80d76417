/** One target model: the configuration, a targets file and the emulator's seed all become a FlowTarget through toFlowTarget. */
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { DEFAULT_REDIRECT_URI, DEFAULT_SCOPE, loadConfig } from '../../src/config.js'
import { savedTokenSet } from '../../src/store/token-store.js'
import { DEFAULT_FLOW_SETTINGS, emulatorLogin, toFlowTarget } from '../../src/targets/flow-target.js'
import { parseTargets, targetLogin } from '../../src/targets/load.js'
import { resolveTarget } from '../../src/targets/resolve.js'

const ORG = { SF_LOGIN_URL: 'https://Acme.my.salesforce.com/', SF_CLIENT_ID: '3MVG9x', SF_USERNAME: 'u@example.com', SF_PASSWORD: 'pw-fake', SF_CLIENT_SECRET: 'cs-fake' }
const SEED = { app: { clientId: 'seed-client', clientSecret: 'seed-secret' }, user: { username: 'seed@example.com', password: 'seed-pw' } }

test('loadConfig is an org (every field required and present) or the embedded emulator', () => {
  const org = loadConfig(ORG)
  expect(org.kind).toBe('org')
  if (org.kind !== 'org') throw new Error('not an org')
  expect(toFlowTarget(org, org)).toEqual({ loginUrl: 'https://acme.my.salesforce.com', clientId: '3MVG9x', clientSecret: 'cs-fake', username: 'u@example.com', password: 'pw-fake', redirectUri: DEFAULT_REDIRECT_URI, scope: DEFAULT_SCOPE, pkce: true })
  const embedded = loadConfig({ SF_USERNAME: 'other@example.com' })
  expect(embedded).toMatchObject({ kind: 'emulator', loginUrl: undefined, clientId: undefined, username: 'other@example.com' })
})

test('the emulator seed, with any SF_* override, and a targets file entry go through the same toFlowTarget', () => {
  expect(toFlowTarget(emulatorLogin('http://127.0.0.1:4567/', SEED), DEFAULT_FLOW_SETTINGS)).toEqual({ loginUrl: 'http://127.0.0.1:4567', clientId: 'seed-client', clientSecret: 'seed-secret', username: 'seed@example.com', password: 'seed-pw', ...DEFAULT_FLOW_SETTINGS })
  expect(emulatorLogin('http://127.0.0.1:1', SEED, { username: 'x@example.com', clientSecret: undefined })).toMatchObject({ username: 'x@example.com', clientSecret: 'seed-secret' })
  const file = parseTargets({ targets: [{ name: 'a', loginUrl: 'https://login.salesforce.com', clientIdEnv: 'SF_ID', usernameEnv: 'SF_U', passwordEnv: 'SF_P' }, { name: 'b', loginUrl: 'https://test.salesforce.com', clientIdEnv: 'SF_ID' }] }, { SF_ID: 'cid', SF_U: 'u', SF_P: 'p' }, '/repo')
  const [a, b] = file.targets
  if (a === undefined || b === undefined) throw new Error('two targets expected')
  expect(targetLogin(b)).toBeUndefined()
  const login = targetLogin(a)
  if (login === undefined) throw new Error('a has a user')
  expect(toFlowTarget(login, { redirectUri: 'https://app.example.com/cb', scope: 'api', pkce: false })).toEqual({ loginUrl: 'https://login.salesforce.com', clientId: 'cid', clientSecret: undefined, username: 'u', password: 'p', redirectUri: 'https://app.example.com/cb', scope: 'api', pkce: false })
  expect(() => toFlowTarget({ ...login, loginUrl: 'http://login.salesforce.com' }, DEFAULT_FLOW_SETTINGS)).toThrow(expect.objectContaining({ code: 'LOGIN_URL_INVALID' }))
})

test('resolveTarget: an org as configured (no emulator started); without SF_LOGIN_URL the embedded emulator, closed by the caller', async () => {
  const org = await resolveTarget(loadConfig(ORG))
  expect(org).toMatchObject({ label: 'org https://acme.my.salesforce.com', emulator: undefined, target: { username: 'u@example.com' } })
  const em = await resolveTarget(loadConfig({ SF_PKCE: 'false' }))
  try {
    expect(em.emulator).toBeDefined()
    expect(em.label).toBe(`embedded emulator ${em.emulator?.url ?? ''}`)
    expect(em.target).toMatchObject({ loginUrl: em.emulator?.url, clientId: em.emulator?.app.seed.app.clientId, pkce: false })
  } finally {
    await em.emulator?.close()
  }
})

test('savedTokenSet (src/store) keeps the target\'s login URL, app and user, and never the client secret', () => {
  const tokens = { accessToken: 'at', refreshToken: undefined, signature: 's', scope: 'api', idToken: undefined, instanceUrl: 'https://x.my.salesforce.com', id: 'https://login.salesforce.com/id/00D/005', tokenType: 'Bearer', issuedAt: '1700000000000', orgId: '00D', userId: '005' }
  const saved = savedTokenSet(toFlowTarget(emulatorLogin('http://127.0.0.1:1', SEED), DEFAULT_FLOW_SETTINGS), tokens)
  expect(saved).toMatchObject({ version: 1, loginUrl: 'http://127.0.0.1:1', clientId: 'seed-client', username: 'seed@example.com', accessToken: 'at', refreshToken: null })
  expect(JSON.stringify(saved)).not.toContain('seed-secret')
})
