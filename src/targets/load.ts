/**
 * The targets file: many orgs and apps for nightly checks. Secrets appear only as names of environment
 * variables. Every problem is reported at once, each naming the target, the key and the fix.
 * Schema: schemas/targets.schema.json.
 */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { Env } from '../config.js'
import { ConfigError, type ConfigProblem, UsageError } from '../errors.js'
import { isLoopbackHost } from '../oauth/hosts.js'

export const TARGET_KINDS = ['production', 'sandbox', 'mydomain', 'experience'] as const
export type TargetKind = (typeof TARGET_KINDS)[number]

export interface Target {
  readonly name: string
  readonly kind: TargetKind
  readonly loginUrl: string
  readonly clientId: string
  readonly clientSecret: string | undefined
  /** The saved token set (written by `sf-oauth flow --save`), resolved against the targets file. */
  readonly tokenFile: string
  readonly verify: 'userinfo' | 'introspect'
  /** For --flow: the user who logs in. */
  readonly username: string | undefined
  readonly password: string | undefined
}

export interface TargetsFile {
  readonly concurrency: number
  readonly targets: readonly Target[]
}

const TOP_KEYS = new Set(['$schema', 'concurrency', 'targets'])
const TARGET_KEYS = new Set(['name', 'kind', 'loginUrl', 'clientIdEnv', 'clientSecretEnv', 'usernameEnv', 'passwordEnv', 'tokenFile', 'verify'])
/** Keys that would put a secret inline: refused with the env-var alternative. */
const INLINE_SECRETS: Readonly<Record<string, string>> = { clientSecret: 'clientSecretEnv', password: 'passwordEnv', refreshToken: 'tokenFile', accessToken: 'tokenFile', clientId: 'clientIdEnv', username: 'usernameEnv' }
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/

export async function loadTargets(path: string, env: Env): Promise<TargetsFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new UsageError(`--targets ${path} cannot be read: check the path`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    const where = err instanceof SyntaxError ? err.message.replace(/^.*?(at position \d+|line \d+ column \d+).*$/s, '$1') : ''
    throw new ConfigError([{ key: 'targets file', problem: `is not valid JSON (${where})`, fix: `fix ${path}; see schemas/targets.schema.json` }])
  }
  return parseTargets(data, env, dirname(resolve(path)))
}

export function parseTargets(data: unknown, env: Env, baseDir: string): TargetsFile {
  const problems: ConfigProblem[] = []
  const bad = (key: string, problem: string, fix: string) => problems.push({ key, problem, fix })
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigError([{ key: 'targets file', problem: 'is not a JSON object', fix: 'write {"targets": [...]} (see schemas/targets.schema.json)' }])
  }
  const top = data as Record<string, unknown>
  for (const k of Object.keys(top)) if (!TOP_KEYS.has(k)) bad(k, 'is not a known key', 'use only $schema, concurrency, targets')
  let concurrency = 4
  if (top.concurrency !== undefined) {
    if (typeof top.concurrency !== 'number' || !Number.isInteger(top.concurrency) || top.concurrency < 1 || top.concurrency > 32) bad('concurrency', `is ${JSON.stringify(top.concurrency)}`, 'use a whole number from 1 to 32')
    else concurrency = top.concurrency
  }
  if (!Array.isArray(top.targets) || top.targets.length === 0) {
    bad('targets', 'is missing or empty', 'list at least one target: {"name", "loginUrl", "clientIdEnv", "clientSecretEnv"}')
    throw new ConfigError(problems)
  }
  const names = new Set<string>()
  const targets: Target[] = []
  top.targets.forEach((raw: unknown, i: number) => {
    const at = (key: string) => `targets[${i}]${typeof (raw as { name?: unknown } | null)?.name === 'string' ? ` (${(raw as { name: string }).name})` : ''}.${key}`
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      bad(`targets[${i}]`, 'is not an object', 'write {"name": ..., "loginUrl": ..., "clientIdEnv": ...}')
      return
    }
    const t = raw as Record<string, unknown>
    for (const k of Object.keys(t)) {
      const instead = INLINE_SECRETS[k]
      if (instead !== undefined) bad(at(k), 'is inline', `secrets and credentials never go in the targets file: put the value in an environment variable and name it in "${instead}"`)
      else if (!TARGET_KEYS.has(k)) bad(at(k), 'is not a known key', `use ${[...TARGET_KEYS].join(', ')}`)
    }
    const name = typeof t.name === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(t.name) ? t.name : undefined
    if (name === undefined) bad(at('name'), `is ${JSON.stringify(t.name)}`, 'use 1-64 letters, digits, dot, dash or underscore')
    else if (names.has(name)) bad(at('name'), `"${name}" is used twice`, 'give each target its own name')
    else names.add(name)
    const kind = t.kind === undefined ? 'production' : (TARGET_KINDS as readonly unknown[]).includes(t.kind) ? (t.kind as TargetKind) : undefined
    if (kind === undefined) bad(at('kind'), `is ${JSON.stringify(t.kind)}`, `use one of ${TARGET_KINDS.join(', ')}`)
    let loginUrl: string | undefined
    if (typeof t.loginUrl !== 'string') bad(at('loginUrl'), 'is missing', 'set the login host, e.g. https://login.salesforce.com')
    else {
      try {
        const u = new URL(t.loginUrl)
        if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) bad(at('loginUrl'), `uses ${u.protocol}`, 'use https:// (Salesforce redirects http and the token POST body is lost: "grant type not supported")')
        else loginUrl = u.origin + u.pathname.replace(/\/+$/, '')
      } catch {
        bad(at('loginUrl'), `is "${t.loginUrl}", not a URL`, 'use e.g. https://test.salesforce.com')
      }
    }
    const fromEnv = (key: string, required: boolean): string | undefined => {
      const ref = t[key]
      if (ref === undefined) {
        if (required) bad(at(key), 'is missing', `name the environment variable that holds it, e.g. "${key === 'clientIdEnv' ? 'SF_PROD_CLIENT_ID' : 'SF_PROD_CLIENT_SECRET'}"`)
        return undefined
      }
      if (typeof ref !== 'string' || !ENV_NAME.test(ref)) {
        bad(at(key), `is ${JSON.stringify(ref)}, not an environment variable name`, 'use UPPER_CASE letters, digits and underscores')
        return undefined
      }
      const value = env[ref]
      if (value === undefined || value === '') {
        bad(at(key), `names ${ref}, which is not set`, `export ${ref} (in CI: from the secret store)`)
        return undefined
      }
      return value
    }
    const clientId = fromEnv('clientIdEnv', true)
    const clientSecret = fromEnv('clientSecretEnv', false)
    const username = fromEnv('usernameEnv', false)
    const password = fromEnv('passwordEnv', false)
    const verify = t.verify === undefined ? 'userinfo' : t.verify === 'userinfo' || t.verify === 'introspect' ? t.verify : undefined
    if (verify === undefined) bad(at('verify'), `is ${JSON.stringify(t.verify)}`, 'use "userinfo" or "introspect"')
    if (t.tokenFile !== undefined && (typeof t.tokenFile !== 'string' || t.tokenFile === '')) bad(at('tokenFile'), 'is not a path', 'give the file written by sf-oauth flow --save')
    if (name === undefined || kind === undefined || loginUrl === undefined || clientId === undefined || verify === undefined) return
    const tokenFile = resolve(baseDir, typeof t.tokenFile === 'string' ? t.tokenFile : `.sf-oauth/tokens/${name}.json`)
    targets.push({ name, kind, loginUrl, clientId, clientSecret, tokenFile, verify, username, password })
  })
  if (problems.length > 0) throw new ConfigError(problems)
  return { concurrency, targets }
}
