/**
 * The targets file: many orgs and apps for nightly checks. Secrets appear only as names of environment
 * variables. Every problem is reported at once, each naming the target, the key and the fix.
 * Schema: schemas/targets.schema.json.
 */
import { readFile, realpath, stat } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import type { Env } from '../config.js'
import { ConfigError, type ConfigProblem, UsageError } from '../errors.js'
import { checkLoginUrl } from '../oauth/hosts.js'
import type { TargetLogin } from './flow-target.js'
import { parsePolicy, type RefreshTokenPolicy } from './forecast.js'

export const TARGET_KINDS = ['production', 'sandbox', 'mydomain', 'experience'] as const
export type TargetKind = (typeof TARGET_KINDS)[number]

/** One target of a targets file, its `SF_*` names resolved to values and its tokenFile to a path. */
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
  /** The app's refresh token policy, when the file says (for the expiry forecast). */
  readonly refreshTokenPolicy?: RefreshTokenPolicy | undefined
  /** The GitHub Actions secret this target's token file comes from (for check --write-back github). */
  readonly tokenSecret?: TokenSecret | undefined
}

export interface TokenSecret {
  /** The secret's name, e.g. SF_PROD_TOKEN_FILE. */
  readonly name: string
  /** An environment's secret instead of the repository's. */
  readonly environment?: string | undefined
}

/** GitHub's secret names: letters, digits and underscores, not starting with a digit or GITHUB_. */
const SECRET_NAME = /^(?!GITHUB_)[A-Za-z_][A-Za-z0-9_]{0,199}$/
const ENVIRONMENT_NAME = /^[A-Za-z0-9._-]{1,255}$/

function parseTokenSecret(raw: unknown): { secret: TokenSecret } | { problem: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { problem: `is ${JSON.stringify(raw)}` }
  const r = raw as Record<string, unknown>
  const extra = Object.keys(r).filter((k) => k !== 'name' && k !== 'environment')
  if (extra.length > 0) return { problem: `has unknown key ${extra[0] ?? ''}` }
  if (typeof r.name !== 'string' || !SECRET_NAME.test(r.name)) return { problem: `has name ${JSON.stringify(r.name)}` }
  if (r.environment !== undefined && (typeof r.environment !== 'string' || !ENVIRONMENT_NAME.test(r.environment))) return { problem: `has environment ${JSON.stringify(r.environment)}` }
  return { secret: { name: r.name, environment: r.environment } }
}

/** A target as who logs in where (`--flow`, src/targets/flow-target.ts): undefined without usernameEnv/passwordEnv. */
export function targetLogin(t: Target): TargetLogin | undefined {
  if (t.username === undefined || t.password === undefined) return undefined
  return { loginUrl: t.loginUrl, clientId: t.clientId, clientSecret: t.clientSecret, username: t.username, password: t.password }
}

/** A loaded targets file: its targets and how many to check at once. */
export interface TargetsFile {
  readonly concurrency: number
  readonly targets: readonly Target[]
}

const TOP_KEYS = new Set(['$schema', 'concurrency', 'targets'])
const TARGET_KEYS = new Set(['name', 'kind', 'loginUrl', 'clientIdEnv', 'clientSecretEnv', 'usernameEnv', 'passwordEnv', 'tokenFile', 'verify', 'refreshTokenPolicy', 'tokenSecret'])
/** Keys that would put a secret inline: refused with the env-var alternative. */
const INLINE_SECRETS: Readonly<Record<string, string>> = { clientSecret: 'clientSecretEnv', password: 'passwordEnv', refreshToken: 'tokenFile', accessToken: 'tokenFile', clientId: 'clientIdEnv', username: 'usernameEnv' }
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/
/** The only variables a targets file may read (clientIdEnv, clientSecretEnv, usernameEnv, passwordEnv). */
export const ENV_PREFIX = 'SF_'
/** A targets file is a few KB; a bigger one is not one. */
const MAX_TARGETS_BYTES = 1024 * 1024

/**
 * A tokenFile stays inside `baseDir`: relative, no `..` segment, no control characters (a targets file from
 * a pull request must not make check --flow write tokens over ~/.bashrc or read a file it may not).
 */
function tokenFileProblem(raw: unknown, baseDir: string, targetsFile: string | undefined): { problem: string; fix: string } | undefined {
  const fix = `use a relative path inside ${baseDir}, e.g. ".sf-oauth/tokens/prod.json"`
  if (typeof raw !== 'string' || raw === '') return { problem: 'is not a path', fix: 'give the file written by sf-oauth flow --save' }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return { problem: 'contains control characters', fix }
  if (isAbsolute(raw) || /^[A-Za-z]:|^[\\/]/.test(raw)) return { problem: 'is an absolute path', fix }
  if (raw.split(/[\\/]/).includes('..')) return { problem: 'contains ".."', fix }
  const full = resolve(baseDir, raw)
  const rel = relative(baseDir, full)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return { problem: 'is not a file inside the targets file\'s directory', fix }
  if (targetsFile !== undefined && full === resolve(targetsFile)) return { problem: 'is the targets file itself', fix: 'name the file written by sf-oauth flow --save' }
  return undefined
}

/**
 * Read and validate a targets file (schemas/targets.schema.json), reading the `SF_*` variables it names
 * from `env`. Every problem is reported at once.
 *
 * @throws `CONFIG_INVALID` listing every problem (not JSON, unknown keys, an inline secret, an unset
 *   variable, a tokenFile outside the file's directory or shared by two targets, a bad loginUrl);
 *   `USAGE_INVALID` when the file cannot be read.
 */
export async function loadTargets(path: string, env: Env): Promise<TargetsFile> {
  let text: string
  try {
    if ((await stat(path)).size > MAX_TARGETS_BYTES) throw new ConfigError([{ key: 'targets file', problem: `is over ${MAX_TARGETS_BYTES} bytes`, fix: `check that ${path} is the targets file (see schemas/targets.schema.json)` }])
    text = await readFile(path, 'utf8')
  } catch (err) {
    if (err instanceof ConfigError) throw err
    throw new UsageError(`--targets ${path} cannot be read: check the path`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (err) {
    const where = err instanceof SyntaxError ? err.message.replace(/^.*?(at position \d+|line \d+ column \d+).*$/s, '$1') : ''
    throw new ConfigError([{ key: 'targets file', problem: `is not valid JSON (${where})`, fix: `fix ${path}; see schemas/targets.schema.json` }])
  }
  const baseDir = dirname(resolve(path))
  const file = parseTargets(data, env, baseDir, resolve(path))
  await assertConfined(file.targets, baseDir)
  return file
}

/** The nearest existing directory of `path` (a token file's directory may not exist yet: --flow makes it). */
async function existingAncestor(path: string): Promise<string> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      return await realpath(dir)
    } catch {
      if (dirname(dir) === dir) return dir
    }
  }
}

/** The lexical check cannot see a symbolic link inside the base directory pointing out of it: resolve them. */
async function assertConfined(targets: readonly Target[], baseDir: string): Promise<void> {
  const realBase = await realpath(baseDir)
  const problems: ConfigProblem[] = []
  for (const t of targets) {
    const real = await existingAncestor(t.tokenFile)
    if (real !== realBase && !real.startsWith(realBase + sep)) {
      problems.push({ key: `${t.name}.tokenFile`, problem: `leads out of ${baseDir} through a symbolic link (to ${real})`, fix: 'keep token files in a real directory next to the targets file' })
    }
  }
  if (problems.length > 0) throw new ConfigError(problems)
}

/**
 * `baseDir`: token files are confined to it (the targets file's directory). `targetsFile`: its own path,
 * which no token file may name.
 */
export function parseTargets(data: unknown, env: Env, baseDir: string, targetsFile?: string): TargetsFile {
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
  const tokenFiles = new Map<string, string>()
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
      const checked = checkLoginUrl(t.loginUrl)
      if (checked.ok) loginUrl = checked.url
      else bad(at('loginUrl'), checked.problem, checked.fix)
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
      if (!ref.startsWith(ENV_PREFIX)) {
        // Whatever a target names is sent to its loginUrl: a targets file must not be able to send a
        // cloud key or a CI token (AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN) to a host as client_secret.
        bad(at(key), `names ${ref}, which does not start with ${ENV_PREFIX}`, `a targets file may read only ${ENV_PREFIX}* variables: rename it, e.g. "${ENV_PREFIX}${ref}"`)
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
    let tokenFile: string | undefined
    if (t.tokenFile === undefined) tokenFile = name === undefined ? undefined : resolve(baseDir, `.sf-oauth/tokens/${name}.json`)
    else {
      const problem = tokenFileProblem(t.tokenFile, baseDir, targetsFile)
      if (problem === undefined) tokenFile = resolve(baseDir, t.tokenFile as string)
      else bad(at('tokenFile'), problem.problem, problem.fix)
    }
    if (tokenFile !== undefined) {
      const other = tokenFiles.get(tokenFile)
      if (other !== undefined) bad(at('tokenFile'), `is also the token file of ${other}`, 'give each target its own token file: two targets on one file overwrite each other\'s tokens')
      else tokenFiles.set(tokenFile, name ?? `targets[${i}]`)
    }
    let refreshTokenPolicy: RefreshTokenPolicy | undefined
    if (t.refreshTokenPolicy !== undefined) {
      const p = parsePolicy(t.refreshTokenPolicy)
      if ('problem' in p) bad(at('refreshTokenPolicy'), p.problem, 'use {"type": "until-revoked"}, {"type": "expire-after", "days": N} or {"type": "expire-if-unused", "days": N}, as the app\'s Refresh Token Policy says')
      else refreshTokenPolicy = p.policy
    }
    let tokenSecret: TokenSecret | undefined
    if (t.tokenSecret !== undefined) {
      const p = parseTokenSecret(t.tokenSecret)
      if ('problem' in p) bad(at('tokenSecret'), p.problem, 'use {"name": "SF_PROD_TOKEN_FILE"} (letters, digits, _; not GITHUB_*), optionally with "environment"')
      else tokenSecret = p.secret
    }
    if (name === undefined || kind === undefined || loginUrl === undefined || clientId === undefined || verify === undefined || tokenFile === undefined) return
    targets.push({ name, kind, loginUrl, clientId, clientSecret, tokenFile, verify, username, password, refreshTokenPolicy, tokenSecret })
  })
  if (problems.length > 0) throw new ConfigError(problems)
  return { concurrency, targets }
}
