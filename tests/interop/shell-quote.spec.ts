/**
 * `sf-oauth curl` quoting (src/interop/curl.ts): a configured value pasted into bash arrives byte for
 * byte and runs nothing; references expand, and only they do. Checked with a real bash.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import fc from 'fast-check'
import { curlCommands, shellQuote, shellWord } from '../../src/interop/curl.js'
import { baseEnv } from '../support/env.js'

/** Run one bash script; each word is printed followed by NUL, so the values come back exactly. */
function echoWords(words: readonly string[], env: Record<string, string> = {}): string[] {
  const script = words.map((w) => `printf '%s\\0' ${w}`).join('\n')
  const r = spawnSync('bash', ['-c', script], { encoding: 'buffer', env: baseEnv({ LC_ALL: 'C', ...env }) })
  expect(r.status, r.stderr.toString()).toBe(0)
  return r.stdout.toString('utf8').split('\0').slice(0, -1)
}

test('property: any value (no NUL, which no environment variable holds) comes back from bash byte for byte', () => {
  const values = fc.sample(fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => !s.includes('\0') && !/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))), 2000)
  const hostile = ['$(touch x)', '`id`', '"; echo hi; "', "it's", '$HOME', '!!', 'a\nb', 'tab\there', '\u202eevil', '\x1b]0;t\x07', '\\', "'", '"', '${IFS}', '~', '*', '?[a]', '{a,b}', '#c', 'a;b|c&d', '-n']
  const all = [...hostile, ...values]
  expect(echoWords(all.map(shellQuote))).toEqual(all)
})

test('only references expand; literals next to them stay literal', () => {
  const env = { SF_CLIENT_SECRET: '$(touch never)`x`', SF_LOGIN_URL: 'http://h:1' }
  const words = [
    shellWord('client_secret=', { ref: 'SF_CLIENT_SECRET' }),
    shellWord({ ref: 'SF_LOGIN_URL' }, '/services/oauth2/token'),
    shellWord('x=$(y)', { ref: 'SF_LOGIN_URL' }, "'a"),
    shellWord({ ref: 'SF_LOGIN_URL' }, 'abc'),
  ]
  expect(echoWords(words, env)).toEqual(['client_secret=$(touch never)`x`', 'http://h:1/services/oauth2/token', "x=$(y)http://h:1'a", 'http://h:1abc'])
})

test('printed commands with hostile settings run nothing when pasted: bash makes the exact words, no marker appears', () => {
  const dir = mkdtempSync(join(tmpdir(), 'curl-quote-'))
  const marker = join(dir, 'pwned')
  const commands = curlCommands({
    loginUrl: `http://127.0.0.1:9/$(touch$IFS${marker})`,
    clientId: `3MVG9$(touch ${marker})\`touch ${marker}\`"';x`,
    redirectUri: `http://localhost:1717/cb?x=$(touch ${marker});touch ${marker}\ntouch ${marker}`,
    scope: 'api refresh_token',
    pkce: false,
    hasSecret: true,
  })
  for (const c of commands) {
    // Replace curl by a function that prints its arguments: the words the shell made, nothing sent.
    const r = spawnSync('bash', ['-c', `curl() { printf '%s\\0' "$@"; }\n${c.command}`], { encoding: 'utf8', env: baseEnv({ LC_ALL: 'C' }) })
    expect(r.status, `${c.name}: ${r.stderr}`).toBe(0)
    if (c.name === 'token') {
      const args = r.stdout.split('\0')
      expect(args).toContain(`http://127.0.0.1:9/$(touch$IFS${marker})/services/oauth2/token`)
      expect(args).toContain(`client_id=3MVG9$(touch ${marker})\`touch ${marker}\`"';x`)
      expect(args).toContain(`redirect_uri=http://localhost:1717/cb?x=$(touch ${marker});touch ${marker}\ntouch ${marker}`)
    }
  }
  expect(existsSync(marker)).toBe(false)
})
