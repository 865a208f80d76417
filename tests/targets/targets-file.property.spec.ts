/**
 * Property tests: whatever a targets file holds, parseTargets returns targets that keep the rules, or
 * throws one ConfigError (exit 2): never INTERNAL_ERROR, never a TypeError.
 */
import { relative } from 'node:path'
import { test } from '../support/scrub.js'
import fc from 'fast-check'
import { ConfigError } from '../../src/errors.js'
import { checkLoginUrl } from '../../src/oauth/hosts.js'
import { parseTargets } from '../../src/targets/load.js'

const ENV = { SF_ID: '3MVG9x', SF_SECRET: 's', SF_USER: 'u@x.com', SF_PASS: 'p', AWS_SECRET_ACCESS_KEY: 'aws' }
const GOOD = { name: 'a', kind: 'sandbox', loginUrl: 'https://test.salesforce.com', clientIdEnv: 'SF_ID', clientSecretEnv: 'SF_SECRET', usernameEnv: 'SF_USER', passwordEnv: 'SF_PASS', tokenFile: 'tokens/a.json', verify: 'introspect' }

/** Plain checks (see tests/store/token-file.property.spec.ts: expect() per run is far too slow). */
function must(ok: boolean, what: string): void {
  if (!ok) throw new Error(what)
}

const urlish = fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.constantFrom('http://evil.example', 'ftp://x', 'data:,x', 'https://l\u043egin.salesforce.com', 'not a url'), fc.string({ maxLength: 40 }))
const pathish = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('/etc/passwd', '../x.json', 'a/../../b', 'C:\\x', '..', '.', 'targets.json', 'ok/x.json'), fc.array(fc.constantFrom('a', '..', '.', '', 'b.json', '\u0000'), { maxLength: 5 }).map((p) => p.join('/')))
const envish = fc.oneof(fc.constantFrom('SF_ID', 'SF_SECRET', 'AWS_SECRET_ACCESS_KEY', 'SF_UNSET', 'lower', ''), fc.string({ maxLength: 12 }))
const value = fc.oneof(fc.jsonValue({ maxDepth: 1 }), urlish, pathish, envish)

const target = fc.array(fc.tuple(fc.constantFrom(...Object.keys(GOOD), '__proto__', 'clientSecret', 'other'), value), { maxLength: 4 }).map((edits) => {
  const o: Record<string, unknown> = { ...GOOD }
  for (const [k, v] of edits) Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true })
  return o
})
const file = fc.oneof(
  fc.jsonValue(),
  fc.record({ targets: fc.array(target, { maxLength: 4 }), concurrency: fc.option(fc.jsonValue({ maxDepth: 0 }), { nil: undefined }) }, { requiredKeys: ['targets'] }),
  fc.record({ targets: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }) }),
)

test('any targets file: rules kept, or one typed ConfigError', () => {
  fc.assert(fc.property(file, (data) => {
    try {
      const parsed = parseTargets(JSON.parse(JSON.stringify(data)) as unknown, ENV, '/repo/ci', '/repo/ci/targets.json')
      for (const t of parsed.targets) {
        const rel = relative('/repo/ci', t.tokenFile)
        must(!rel.startsWith('../') && rel !== '..' && !rel.startsWith('/') && t.tokenFile !== '/repo/ci/targets.json', `token file ${t.tokenFile}`)
        must(checkLoginUrl(t.loginUrl).ok, `loginUrl ${t.loginUrl}`)
        must(t.clientSecret !== 'aws', 'a non-SF_ variable was read')
      }
    } catch (err) {
      must(err instanceof ConfigError, `not a ConfigError: ${String(err)}`)
      must((err as ConfigError).exitCode === 2 && (err as ConfigError).problems.length > 0, 'no problems listed')
    }
  }), { numRuns: 3000 })
})
