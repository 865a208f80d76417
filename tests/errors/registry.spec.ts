/**
 * The error registry (src/error-registry.ts) is the one list of codes: complete, documented, its exit
 * codes those the harness has always used, and docs/errors.md rendered from it. That every code thrown
 * is registered is the compiler's job (HarnessError.code is the registry's key union, see the
 * @ts-expect-error lines below); these tests hold the parts a type cannot.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { ERRORS_DOC_PATH, renderErrorsDoc } from '../../src/error-doc.js'
import { type ErrorClass, type ErrorCode, ERR, ERROR_CODES, ERRORS, EXIT, exitCodeOf, type FailureExit, isErrorCode, type SourceKey, SOURCES, WARNINGS } from '../../src/error-registry.js'
import { AuthorizationError, BrowserFlowError, HarnessError, InfraError, ResponseValidationError } from '../../src/errors.js'
import { AUTHORIZE_RULES, authorizeErrorMeaning, TOKEN_RULES, tokenErrorMeaning } from '../../src/oauth/error-codes.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(ext)).map((f) => join(dir, f))
}

test('docs/errors.md is the rendering of the registry (run npm run docs:errors after changing a code)', () => {
  const committed = readFileSync(join(ROOT, ERRORS_DOC_PATH), 'utf8')
  expect(committed === renderErrorsDoc(), `${ERRORS_DOC_PATH} is stale: run npm run docs:errors`).toBe(true)
  for (const code of ERROR_CODES) expect(committed).toContain(`| \`${code}\` | ${ERRORS[code].exit} |`)
})

test('every entry has a one-line meaning and fix, an exit code of a failure, and a known source', () => {
  const sources = Object.keys(SOURCES) as SourceKey[]
  for (const code of ERROR_CODES) {
    const e = ERRORS[code]
    expect(code, code).toMatch(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/)
    for (const text of [e.meaning, e.fix]) {
      expect(text.trim().length, `${code}: empty meaning or fix`).toBeGreaterThan(5)
      expect(text, `${code}: one line`).not.toMatch(/[\r\n]/)
    }
    expect([EXIT.FAILED, EXIT.USAGE, EXIT.INFRA], code).toContain(e.exit)
    expect(sources, `${code}: source ${e.source}`).toContain(e.source.split(' §')[0])
  }
  for (const [code, w] of Object.entries(WARNINGS)) {
    expect(w.meaning.length > 5 && w.fix.length > 5, code).toBe(true)
    expect(isErrorCode(code), `${code} is a warning and an error`).toBe(false)
  }
  // Every source listed is cited, so the Sources list of docs/errors.md holds no dead entries.
  const cited = new Set([...Object.values(ERRORS), ...Object.values(WARNINGS)].map((e) => e.source.split(' §')[0]))
  expect(sources.filter((s) => !cited.has(s))).toEqual([])
})

test('exit codes are those each class has always carried: 2 usage/config, 3 infrastructure, 1 otherwise', () => {
  // Before the registry, the classes set these (ConfigError, UsageError, TokenFileError, OutputSymlinkError: 2; InfraError: 3).
  const byClass: Readonly<Record<Exclude<ErrorClass, 'HarnessError'>, FailureExit>> = {
    ConfigError: 2, UsageError: 2, TokenFileError: 2, OutputSymlinkError: 2, InfraError: 3,
    AuthorizationError: 1, TokenEndpointError: 1, ResponseValidationError: 1, BrowserFlowError: 1,
    Error: 3, // main() exits 3 for anything that is not a HarnessError
  }
  // Thrown as HarnessError itself, with the exit code their throw sites used to pass.
  const direct: Readonly<Partial<Record<ErrorCode, FailureExit>>> = { OUTPUT_COLLISION: 2, EMULATOR_HOST_INVALID: 2, TRANSCRIPT_INVALID: 2, NOCK_FIXTURE_INVALID: 2, PKCE_CHALLENGE_INVALID: 1, RECORD_NOT_MASKED: 1, LOGIN_URL_INVALID: 2, HISTORY_FILE_INVALID: 2, HAR_INVALID: 2,
    // by hand (issue 13)
    PENDING_GONE: 2, PENDING_INVALID: 2, PENDING_EXPIRED: 1, PENDING_CONFIG_MISMATCH: 2, PASTE_OTHER_REQUEST: 1, PASTE_INVALID: 2, LOGIN_NEEDS_LOOPBACK: 2,
    // passkeys (issue 15)
    PASSKEY_FILE_INVALID: 2, PASSKEY_FILE_PERMISSIONS: 2 }
  for (const code of ERROR_CODES) {
    const cls = ERRORS[code].class
    expect(exitCodeOf(code), code).toBe(cls === 'HarnessError' ? direct[code] : byClass[cls])
  }
  // The instance takes its exit code from the registry, whatever class is constructed.
  expect(new InfraError('NETWORK_TIMEOUT', 'x').exitCode).toBe(3)
  expect(new HarnessError('OUTPUT_COLLISION', 'x').exitCode).toBe(2)
  expect(new ResponseValidationError('SIGNATURE_INVALID', 'x').exitCode).toBe(1)
  expect(new BrowserFlowError('LOGIN_FAILED', 'x').exitCode).toBe(1)
})

test('codes are constants, and an unregistered or wrong-class code does not compile', () => {
  expect(ERR.TOKEN_FILE_INVALID).toBe('TOKEN_FILE_INVALID')
  expect(Object.keys(ERR)).toEqual([...ERROR_CODES])
  expect(isErrorCode('TOKEN_SOMETHING_NEW')).toBe(false)
  // Type checks (npm run typecheck fails if any of these start to compile):
  // @ts-expect-error a code that is not in the registry
  const unregistered = new HarnessError('TOKEN_SOMETHING_NEW', 'x')
  // @ts-expect-error a registered code of another class (LOGIN_FAILED is a BrowserFlowError)
  const wrongClass = new InfraError('LOGIN_FAILED', 'x')
  // @ts-expect-error a token error where an authorize one is due
  const wrongMapping = new AuthorizationError('TOKEN_CODE_EXPIRED', 'x', 'invalid_grant', undefined)
  // A code forced past the type still gets an exit code (INTERNAL_ERROR's) instead of a crash.
  expect(unregistered.exitCode).toBe(3)
  expect(wrongClass.exitCode).toBe(1)
  expect(wrongMapping.exitCode).toBe(1)
})

test('every literal throw site in src/ uses its code with the class the registry names', () => {
  const throwSite = /new (\w+Error)\(\s*'([A-Z][A-Z0-9_]*)'/g
  const superCall = /super\(\s*'([A-Z][A-Z0-9_]*)'/g
  const seen: string[] = []
  const problems: string[] = []
  for (const file of filesUnder('src', '.ts').filter((f) => !f.startsWith(join('src', 'emulator')))) {
    const text = readFileSync(join(ROOT, file), 'utf8')
    const check = (cls: string, code: string) => {
      seen.push(code)
      if (!isErrorCode(code)) problems.push(`${file}: ${code} is not registered`)
      else if (ERRORS[code].class !== cls) problems.push(`${file}: ${code} thrown as ${cls}, registered as ${ERRORS[code].class}`)
    }
    for (const m of text.matchAll(throwSite)) check(m[1] ?? '', m[2] ?? '')
    for (const m of text.matchAll(superCall)) {
      const before = text.slice(0, m.index)
      check([...before.matchAll(/class (\w+) extends/g)].at(-1)?.[1] ?? '?', m[1] ?? '')
    }
  }
  expect(problems).toEqual([])
  expect(seen.length).toBeGreaterThan(60)
})

test('every registered code is used somewhere in src/ (no dead entries)', () => {
  const text = filesUnder('src', '.ts')
    .filter((f) => !f.endsWith('error-registry.ts') && !f.endsWith('error-doc.ts'))
    .map((f) => readFileSync(join(ROOT, f), 'utf8'))
    .join('\n')
  const unused = ERROR_CODES.filter((c) => !text.includes(`'${c}'`) && !text.includes(`ERR.${c}`))
  expect(unused).toEqual([])
})

test('the Salesforce mapping is closed: every rule is reachable, anything else is the fallback code', () => {
  for (const [rules, meaning] of [[TOKEN_RULES, tokenErrorMeaning], [AUTHORIZE_RULES, authorizeErrorMeaning]] as const) {
    for (const r of rules) {
      const m = meaning(r.error, r.description)
      expect(m.code, `${r.error} "${r.description ?? ''}" is shadowed by an earlier rule`).toBe(r.code)
      expect(m.fix).toBe(ERRORS[r.code].fix)
    }
  }
  expect(tokenErrorMeaning('server_error', undefined)).toEqual({ code: 'TOKEN_ERROR_UNKNOWN', fix: ERRORS.TOKEN_ERROR_UNKNOWN.fix })
  expect(authorizeErrorMeaning('login_error', undefined).code).toBe('AUTHORIZE_ERROR_UNKNOWN')
  // Matching is exact on `error` (case matters: OAUTH_APP_BLOCKED is upper case on the wire).
  expect(authorizeErrorMeaning('oauth_app_blocked', undefined).code).toBe('AUTHORIZE_ERROR_UNKNOWN')
  expect(tokenErrorMeaning('invalid_grant', 'Expired Authorization Code').code).toBe('TOKEN_CODE_EXPIRED')
})

test('the codes fixtures and transcripts expect are registered', () => {
  const expected: string[] = []
  for (const file of filesUnder('fixtures', '.json')) {
    const data = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { expect?: unknown; outcome?: { code?: unknown } }
    if (typeof data.expect === 'string' && data.expect !== 'ok') expected.push(data.expect)
    if (typeof data.outcome?.code === 'string') expected.push(data.outcome.code)
  }
  expect(expected.length).toBeGreaterThan(20)
  expect(expected.filter((c) => !isErrorCode(c))).toEqual([])
})
