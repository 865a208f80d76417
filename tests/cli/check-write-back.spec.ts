/**
 * `check --write-back github` against a rotating emulator app and a local fake of GitHub's secrets API:
 * two nightly-like runs (each night's token file rebuilt from the secret, as the workflow does) both pass,
 * and after each the secret holds the newest refresh token, sealed for the repository's key. A token
 * without write permission fails the target with WRITE_BACK_FAILED, the new token kept in the file.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { redactor } from '../../src/redact.js'
import { emptyDir } from '../support/cli.js'
import { test } from '../support/emulator.js'
import { startFakeGithub } from '../support/fake-github.js'
import { runCheck, seedTokenFile } from '../support/nightly.js'

const GH_TOKEN = 'github_pat_11FAKEFAKEFAKE0123456789_not_a_real_token_abcdefghijklmnopqrstuvwxyz'

test('two nightly runs with rotation: both pass, the Actions secret holds the newest token after each', async ({ emulator }) => {
  redactor.add(GH_TOKEN)
  emulator.app.configure({ rotation: true })
  const gh = await startFakeGithub({ repository: 'acme/nightly', token: GH_TOKEN })
  try {
    const dir = emptyDir()
    const file = join(dir, 'a.json')
    const first = await seedTokenFile(emulator, file)
    const { app } = emulator.app.seed
    writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets: [
      { name: 'a', loginUrl: emulator.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: 'a.json', tokenSecret: { name: 'SF_A_TOKEN_FILE' } },
      { name: 'e', loginUrl: emulator.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: 'e.json', tokenSecret: { name: 'SF_E_TOKEN_FILE', environment: 'nightly' } },
    ] }))
    await seedTokenFile(emulator, join(dir, 'e.json'))
    const env = { SF_APP_ID: app.clientId, SF_APP_SECRET: app.clientSecret, GH_TOKEN, GITHUB_REPOSITORY: 'acme/nightly', GITHUB_API_URL: gh.url }
    const args = ['--targets', join(dir, 'targets.json'), '--write-back', 'github']
    const seen: string[] = [first.refreshToken]
    for (let night = 0; night < 2; night++) {
      const r = await runCheck(args, env)
      expect(r.code, r.stdout + r.stderr).toBe(0)
      expect(r.stdout).toMatch(/✓ a +refresh ok \(rotated, saved, written back\)/)
      const stored = JSON.parse(gh.secrets.get('SF_A_TOKEN_FILE') ?? '{}') as { refreshToken: string; loginUrl: string }
      const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { refreshToken: string }
      redactor.add(stored.refreshToken)
      expect(stored.refreshToken).toBe(onDisk.refreshToken)
      expect(seen).not.toContain(stored.refreshToken)
      // The org agrees: the stored token is the live one, the earlier ones are rotated out.
      expect(emulator.app.state.refreshTokens.has(stored.refreshToken)).toBe(true)
      for (const old of seen) expect(emulator.app.state.refreshTokens.has(old)).toBe(false)
      seen.push(stored.refreshToken)
      expect(gh.secrets.has('nightly/SF_E_TOKEN_FILE')).toBe(true)
      for (const s of [...seen, GH_TOKEN, app.clientSecret]) expect(r.stdout + r.stderr).not.toContain(s)
      // The next night starts from the secret, as the workflow writes it into the token file.
      writeFileSync(file, gh.secrets.get('SF_A_TOKEN_FILE') ?? '', { mode: 0o600 })
    }
    expect(gh.puts.filter((p) => p.name === 'SF_A_TOKEN_FILE').map((p) => p.status)).toEqual([201, 204])
  } finally {
    await gh.close()
  }
})

test('a GH_TOKEN that may not write secrets: WRITE_BACK_FAILED, the rotated token kept in the file; no GH_TOKEN: CONFIG_INVALID', async ({ emulator }) => {
  redactor.add(GH_TOKEN)
  emulator.app.configure({ rotation: true })
  const gh = await startFakeGithub({ repository: 'acme/nightly', token: GH_TOKEN })
  try {
    const dir = emptyDir()
    const file = join(dir, 'a.json')
    const before = await seedTokenFile(emulator, file)
    const { app } = emulator.app.seed
    writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets: [{ name: 'a', loginUrl: emulator.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: 'a.json', tokenSecret: { name: 'SF_A_TOKEN_FILE' } }] }))
    const env = { SF_APP_ID: app.clientId, SF_APP_SECRET: app.clientSecret, GH_TOKEN, GITHUB_REPOSITORY: 'acme/nightly', GITHUB_API_URL: gh.url }
    gh.refusePuts(403)
    const r = await runCheck(['--targets', join(dir, 'targets.json'), '--write-back', 'github', '--json'], env)
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as { targets: { name: string; error?: { code: string; message: string } }[] }
    expect(out.targets[0]?.error?.code).toBe('WRITE_BACK_FAILED')
    expect(out.targets[0]?.error?.message).toMatch(/HTTP 403.*Secrets: read and write/)
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as { refreshToken: string }
    expect(onDisk.refreshToken).not.toBe(before.refreshToken)
    expect(emulator.app.state.refreshTokens.has(onDisk.refreshToken)).toBe(true)
    expect(r.stdout).not.toContain(onDisk.refreshToken)

    const noToken = await runCheck(['--targets', join(dir, 'targets.json'), '--write-back', 'github', '--json'], { SF_APP_ID: app.clientId, SF_APP_SECRET: app.clientSecret, GITHUB_REPOSITORY: 'acme/nightly' })
    expect(noToken.code).toBe(2)
    expect((JSON.parse(noToken.stdout) as { error: { code: string; message: string } }).error).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^GH_TOKEN is not set/) })
  } finally {
    await gh.close()
  }
})
