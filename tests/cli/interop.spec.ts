/**
 * Interop: `--sfdx-url` (the sf CLI's force:// auth URL), `--postman` (a Postman environment) on `flow` and
 * `refresh`, and `sf-oauth curl`, whose commands are run here with bash against the worker's emulator.
 * The commands in process (main).
 */
import { spawn } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { SFDX_URL_PATTERN } from '../../src/interop/sfdx-url.js'
import { emptyDir, expect, test } from '../support/cli-main.js'
import { baseEnv } from '../support/env.js'

interface Saved { refreshToken: string; accessToken: string; instanceUrl: string; clientId: string }
interface PostmanEnv { name: string; _postman_variable_scope: string; values: { key: string; value: string; type: string; enabled: boolean }[] }
const mode = (f: string) => statSync(f).mode & 0o777

test('flow --sfdx-url --postman write both files 0600 with the tokens, and print none of them', { tag: '@browser' }, async ({ org, cli }) => {
  const dir = emptyDir()
  const [saved, sfdx, postman] = ['a.json', 'sfdx.txt', 'postman.json'].map((f) => join(dir, f)) as [string, string, string]
  const r = await cli(['flow', '--save', saved, '--sfdx-url', sfdx, '--postman', postman], { env: org.env })
  expect(r.code, r.stderr).toBe(0)
  const set = JSON.parse(readFileSync(saved, 'utf8')) as Saved
  expect([mode(sfdx), mode(postman)]).toEqual([0o600, 0o600])

  const url = readFileSync(sfdx, 'utf8').trim()
  const m = SFDX_URL_PATTERN.exec(url)
  expect(m?.slice(1)).toEqual([set.clientId, org.env.SF_CLIENT_SECRET, set.refreshToken, new URL(set.instanceUrl).host])
  expect(r.stdout).toContain(`sfdx auth URL  ${sfdx} (mode 0600): sf org login sfdx-url --sfdx-url-file ${sfdx}`)
  expect(r.stdout).toMatch(/! instance_url http:\/\/127\.0\.0\.1:\d+ is http:\/\/: the sf CLI always uses https/)

  const env = JSON.parse(readFileSync(postman, 'utf8')) as PostmanEnv
  expect(env._postman_variable_scope).toBe('environment')
  expect(env.values.map((v) => [v.key, v.type, v.value])).toEqual([
    ['access_token', 'secret', set.accessToken],
    ['instance_url', 'default', set.instanceUrl],
    ['refresh_token', 'secret', set.refreshToken],
    ['client_id', 'default', set.clientId],
    ['login_url', 'default', org.url],
  ])
  for (const secret of [set.refreshToken, set.accessToken, org.env.SF_CLIENT_SECRET ?? '', url]) expect(r.stdout + r.stderr).not.toContain(secret)
})

test('refresh --postman --sfdx-url under rotation write the new refresh token; --json names the files', { tag: '@browser' }, async ({ org, cli, httpFlow }) => {
  const dir = emptyDir()
  const saved = join(dir, 'a.json')
  await httpFlow.saveTo(saved)
  const before = (JSON.parse(readFileSync(saved, 'utf8')) as Saved).refreshToken
  await org.control('configure', { rotation: true })
  const r = await cli(['refresh', '--file', saved, '--postman', join(dir, 'p.json'), '--sfdx-url', join(dir, 's.txt'), '--json'], { env: org.env })
  expect(r.code, r.stderr).toBe(0)
  const after = (JSON.parse(readFileSync(saved, 'utf8')) as Saved).refreshToken
  expect(after).not.toBe(before)
  expect((JSON.parse(r.stdout) as { interop: unknown }).interop).toMatchObject({ postman: join(dir, 'p.json'), sfdxUrl: join(dir, 's.txt') })
  expect((JSON.parse(readFileSync(join(dir, 'p.json'), 'utf8')) as PostmanEnv).values.find((v) => v.key === 'refresh_token')?.value).toBe(after)
  expect(readFileSync(join(dir, 's.txt'), 'utf8')).toContain(`:${after}@`)
  expect(r.stdout).not.toContain(after)
})

test('sf-oauth curl prints no secret, and its commands work against the emulator as printed', { tag: '@browser' }, async ({ org, cli, httpFlow }) => {
  const dir = emptyDir()
  const saved = join(dir, 'a.json')
  await httpFlow.saveTo(saved)
  const set = JSON.parse(readFileSync(saved, 'utf8')) as Saved
  const r = await cli(['curl', '--json'], { env: org.env })
  expect(r.code, r.stderr).toBe(0)
  const out = JSON.parse(r.stdout) as { variables: Record<string, string>; commands: { name: string; command: string }[] }
  expect(out.commands.map((c) => c.name)).toEqual(['pkce', 'authorize', 'token', 'refresh', 'userinfo', 'revoke'])
  expect(Object.keys(out.variables)).toEqual(expect.arrayContaining(['SF_CLIENT_SECRET', 'SF_CODE', 'SF_CODE_VERIFIER', 'SF_REFRESH_TOKEN', 'SF_ACCESS_TOKEN', 'SF_INSTANCE_URL']))
  const text = await cli(['curl'], { env: org.env })
  for (const s of [org.env.SF_CLIENT_SECRET ?? '', org.env.SF_PASSWORD ?? '', set.refreshToken]) expect(r.stdout + text.stdout).not.toContain(s)
  expect(text.stdout).toContain('--data-urlencode "client_secret=$SF_CLIENT_SECRET"')

  const cmd = (name: string) => out.commands.find((c) => c.name === name)?.command ?? ''
  // Not spawnSync: the emulator answering curl lives in this process.
  const shell = async (script: string) => {
    const child = spawn('bash', ['-c', script], { env: baseEnv({ SF_CLIENT_SECRET: org.env.SF_CLIENT_SECRET ?? '', SF_REFRESH_TOKEN: set.refreshToken, SF_ACCESS_TOKEN: set.accessToken, SF_INSTANCE_URL: set.instanceUrl }), stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    await new Promise((resolve) => child.on('close', resolve))
    return { stdout, stderr }
  }
  // Authorize with a fresh PKCE pair: not logged in, so 302 to the login page (no plain-text error).
  const authorize = await shell(`${cmd('pkce')}\n${cmd('authorize')}`)
  expect(authorize.stdout.trim(), authorize.stderr).toMatch(new RegExp(`^302 ${org.url}/\\?ec=302&startURL=`))
  const refreshed = JSON.parse((await shell(cmd('refresh'))).stdout) as { access_token: string; instance_url: string }
  expect(refreshed.access_token).toMatch(/^00D/)
  expect(refreshed.instance_url).toBe(set.instanceUrl)
  expect((JSON.parse((await shell(cmd('userinfo'))).stdout) as { preferred_username: string }).preferred_username).toBe('demo.user@example.com')
  expect((await shell(cmd('revoke'))).stdout.trim()).toBe('200')
  expect((await org.state()).counts.refreshTokens).toBe(0)
})
