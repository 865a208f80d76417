/** The targets file is input: what it may name (SF_* variables), where its token files may be, its URLs. */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { ConfigError } from '../../src/errors.js'
import { loadTargets, parseTargets } from '../../src/targets/load.js'

const ENV = { SF_ID: '3MVG9x', SF_SECRET: 'sf-secret-value', AWS_SECRET_ACCESS_KEY: 'aws-secret-value', GITHUB_TOKEN: 'ghp-value' }
const t = (extra: Record<string, unknown>) => ({ name: 'a', loginUrl: 'https://login.salesforce.com', clientIdEnv: 'SF_ID', ...extra })

function problems(data: unknown, env = ENV, base = '/repo/ci'): string[] {
  try {
    parseTargets(data, env, base, '/repo/ci/targets.json')
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    expect((err as ConfigError).exitCode).toBe(2)
    expect(JSON.stringify(err) + (err as Error).message).not.toMatch(/aws-secret-value|ghp-value|sf-secret-value/)
    return (err as ConfigError).problems.map((p) => `${p.key} ${p.problem}`)
  }
  throw new Error('expected a ConfigError')
}

test('only SF_* variables may be named, for every *Env key, whether set or not', () => {
  expect(problems({ targets: [t({ clientSecretEnv: 'AWS_SECRET_ACCESS_KEY', usernameEnv: 'GITHUB_TOKEN', passwordEnv: 'HOME', clientIdEnv: 'UNSET_ONE' })] })).toEqual([
    'targets[0] (a).clientIdEnv names UNSET_ONE, which does not start with SF_',
    'targets[0] (a).clientSecretEnv names AWS_SECRET_ACCESS_KEY, which does not start with SF_',
    'targets[0] (a).usernameEnv names GITHUB_TOKEN, which does not start with SF_',
    'targets[0] (a).passwordEnv names HOME, which does not start with SF_',
  ])
  const ok = parseTargets({ targets: [t({ clientSecretEnv: 'SF_SECRET' })] }, ENV, '/repo/ci')
  expect(ok.targets[0]?.clientSecret).toBe('sf-secret-value')
})

test('token files stay inside the targets file\'s directory', () => {
  const file = (tokenFile: unknown) => problems({ targets: [t({ tokenFile })] })
  expect(file('/etc/passwd')).toEqual(['targets[0] (a).tokenFile is an absolute path'])
  expect(file('../outside.json')).toEqual(['targets[0] (a).tokenFile contains ".."'])
  expect(file('tokens/../../outside.json')).toEqual(['targets[0] (a).tokenFile contains ".."'])
  expect(file('..\\outside.json')).toEqual(['targets[0] (a).tokenFile contains ".."'])
  expect(file('C:\\Users\\x.json')).toEqual(['targets[0] (a).tokenFile is an absolute path'])
  expect(file('a\u0000.json')).toEqual(['targets[0] (a).tokenFile contains control characters'])
  expect(file('.')).toEqual(['targets[0] (a).tokenFile is not a file inside the targets file\'s directory'])
  expect(file('targets.json')).toEqual(['targets[0] (a).tokenFile is the targets file itself'])
  expect(file('')).toEqual(['targets[0] (a).tokenFile is not a path'])
  expect(file(7)).toEqual(['targets[0] (a).tokenFile is not a path'])
  const ok = parseTargets({ targets: [t({ tokenFile: 'tokens/a.json' }), t({ name: 'b' }), t({ name: 'c', tokenFile: '..c.json' })] }, ENV, '/repo/ci')
  expect(ok.targets.map((x) => x.tokenFile)).toEqual(['/repo/ci/tokens/a.json', '/repo/ci/.sf-oauth/tokens/b.json', '/repo/ci/..c.json'])
})

test('two targets on one token file are refused', () => {
  expect(problems({ targets: [t({ tokenFile: 'x.json' }), t({ name: 'b', tokenFile: './x.json' })] })).toEqual(['targets[1] (b).tokenFile is also the token file of a'])
})

test('loginUrl goes through the SF_LOGIN_URL validator', () => {
  const url = (loginUrl: string) => problems({ targets: [t({ loginUrl })] })
  expect(url('http://evil.example')).toEqual(['targets[0] (a).loginUrl uses http://'])
  expect(url('ftp://x')).toEqual(['targets[0] (a).loginUrl has scheme ftp:'])
  expect(url('not a url')).toEqual(['targets[0] (a).loginUrl is not a URL'])
  expect(url('https://u:sf-secret-value@x.example')).toEqual(['targets[0] (a).loginUrl contains credentials'])
  expect(url('https://l\u043egin.salesforce.com')[0]).toMatch(/^targets\[0\] \(a\)\.loginUrl has the internationalised host xn--/)
})

test('every problem of the file is reported at once', () => {
  expect(problems({ targets: [t({ loginUrl: 'http://evil.example', clientSecretEnv: 'AWS_SECRET_ACCESS_KEY', tokenFile: '/x' }), t({ name: 'b', kind: 'nope' })] })).toHaveLength(4)
})

test('loadTargets: a symbolic link inside the directory that leads out of it is refused', async () => {
  const base = test.info().outputPath()
  mkdirSync(base, { recursive: true })
  const dir = mkdtempSync(join(base, 'targets-'))
  const outside = mkdtempSync(join(base, 'outside-'))
  symlinkSync(outside, join(dir, 'tokens'))
  writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets: [t({ tokenFile: 'tokens/a.json' }), t({ name: 'b', tokenFile: 'new/dir/b.json' })] }))
  const err = await loadTargets(join(dir, 'targets.json'), ENV).then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(ConfigError)
  expect((err as ConfigError).problems.map((p) => p.key)).toEqual(['a.tokenFile'])
  expect((err as ConfigError).problems[0]?.problem).toContain('symbolic link')
})

test('loadTargets: a huge file is refused before it is read', async () => {
  const base = test.info().outputPath()
  mkdirSync(base, { recursive: true })
  const f = join(mkdtempSync(join(base, 'huge-')), 'targets.json')
  writeFileSync(f, `{"targets": [], "pad": "${'x'.repeat(1024 * 1024)}"}`)
  await expect(loadTargets(f, ENV)).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('is over 1048576 bytes') })
})
