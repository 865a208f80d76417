/**
 * A saved token file is input: anyone who can write it chooses where the refresh token and the client
 * secret are sent. So, before any network I/O, it is held to the rules ssh holds a private key to (a
 * regular file of ours, not a symbolic link, mode 0600 or stricter), bounded in size, checked field by
 * field, its URLs held to the SF_LOGIN_URL rules, and its login host matched against the configured one.
 */
import type { Stats } from 'node:fs'
import type { CodeOf } from '../error-registry.js'
import { HarnessError, UsageError } from '../errors.js'
import { checkLoginUrl, instanceUrlWarning, isLoopbackHost, isSalesforceHost, sameLoginUrl } from '../oauth/hosts.js'
import { sanitiseLine } from '../sanitise.js'
import { readPrivateFile } from './private-file.js'
import type { StoredTokenSet } from './token-store.js'

/** A token set is about 2 KB; a file far bigger than that is not one (and is not read into memory). */
export const MAX_TOKEN_FILE_BYTES = 64 * 1024

/** A token file that must not be used. Exit 2 (registry): the fix is the user's (chmod, save again, SF_LOGIN_URL). */
export class TokenFileError extends HarnessError {
  // Not useless: it narrows `code` to the codes the registry gives this class.
  // eslint-disable-next-line @typescript-eslint/no-useless-constructor
  constructor(code: CodeOf<'TokenFileError'>, message: string) {
    super(code, message)
  }
}

/** The login URL the file must have been saved from, and where that expectation comes from (for the message). */
export interface LoginUrlExpectation {
  readonly loginUrl: string
  /** e.g. "SF_LOGIN_URL" or "target prod's loginUrl". */
  readonly from: string
}

/** A path as the user would type it in a shell (the chmod fix is copied and pasted). */
export function shellPath(path: string): string {
  return /^[\w./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`
}

const TOKEN = /^[\x21-\x7e]+$/
const REQUIRED = ['loginUrl', 'clientId', 'instanceUrl', 'id', 'accessToken'] as const
const STRINGS = ['username', 'orgId', 'userId', 'scope', 'issuedAt', 'savedAt'] as const

function kindOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`
}

/**
 * Validate parsed JSON as a saved token set (pure). Every problem is named in one TokenFileError; the
 * values themselves are never echoed (they are tokens). Returns a fresh object holding only known fields.
 */
export function parseTokenSet(data: unknown, path: string): StoredTokenSet {
  const again = `save it again with sf-oauth flow --save ${shellPath(path)}`
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new TokenFileError('TOKEN_FILE_INVALID', `token file ${path} holds ${kindOf(data)}, not a saved token set: ${again}`)
  }
  const d = data as Record<string, unknown>
  const problems: string[] = []
  if (d.version !== 1) problems.push(d.version === undefined ? 'version is missing' : typeof d.version === 'number' && Number.isSafeInteger(d.version) ? `version is ${d.version}, not 1 (another sf-oauth version wrote it)` : `version is ${kindOf(d.version)}, not 1`)
  for (const k of REQUIRED) {
    if (d[k] === undefined) problems.push(`${k} is missing`)
    else if (typeof d[k] !== 'string') problems.push(`${k} is ${kindOf(d[k])}, not a string`)
    else if (d[k] === '') problems.push(`${k} is empty`)
  }
  for (const k of STRINGS) if (typeof d[k] !== 'string') problems.push(d[k] === undefined ? `${k} is missing` : `${k} is ${kindOf(d[k])}, not a string`)
  if (!(d.refreshToken === null || typeof d.refreshToken === 'string')) problems.push(d.refreshToken === undefined ? 'refreshToken is missing' : `refreshToken is ${kindOf(d.refreshToken)}, not a string or null`)
  else if (d.refreshToken === '') problems.push('refreshToken is empty (null when there is none)')
  // Tokens and the consumer key go into a form body and an Authorization header: printable ASCII only.
  for (const k of ['accessToken', 'refreshToken', 'clientId'] as const) {
    const v = d[k]
    if (typeof v === 'string' && v !== '' && !TOKEN.test(v)) problems.push(`${k} contains spaces, control or non-ASCII characters`)
  }
  for (const k of ['loginUrl', 'instanceUrl'] as const) {
    const v = d[k]
    if (typeof v !== 'string' || v === '') continue
    const checked = checkLoginUrl(v)
    if (!checked.ok) problems.push(`${k} ${checked.problem}`)
  }
  if (problems.length > 0) throw new TokenFileError('TOKEN_FILE_INVALID', `token file ${path} is not a usable token set: ${problems.join('; ')}: ${again}`)
  const s = (k: string) => d[k] as string
  const url = (k: string) => (checkLoginUrl(s(k)) as { url: string }).url
  return {
    version: 1,
    loginUrl: url('loginUrl'),
    clientId: s('clientId'),
    username: s('username'),
    instanceUrl: url('instanceUrl'),
    id: s('id'),
    orgId: s('orgId'),
    userId: s('userId'),
    scope: s('scope'),
    issuedAt: s('issuedAt'),
    accessToken: s('accessToken'),
    refreshToken: d.refreshToken as string | null,
    savedAt: s('savedAt'),
  }
}

/**
 * Where the file's refresh token may go (pure). With an expectation (SF_LOGIN_URL, or a target's loginUrl)
 * the file's loginUrl must be the same URL. Without one it must be a Salesforce host or loopback: a file
 * naming any other host is used only once SF_LOGIN_URL confirms that host.
 */
export function assertTokenFileHost(set: StoredTokenSet, path: string, expect: LoginUrlExpectation | undefined): void {
  if (expect !== undefined) {
    if (!sameLoginUrl(set.loginUrl, expect.loginUrl)) {
      // Both come from outside (the file; a variable or a targets file in a library caller's hands): one line each.
      const saved = sanitiseLine(set.loginUrl, 200)
      const wanted = sanitiseLine(expect.loginUrl, 200)
      throw new TokenFileError('TOKEN_FILE_HOST_MISMATCH', `token file ${path} was saved from ${saved}, but ${expect.from} is ${wanted}: its refresh token and the client secret go only to ${expect.from}; save the file again from ${wanted} with sf-oauth flow --save, or point ${expect.from} at ${saved} if you trust that host`)
    }
    return
  }
  const host = new URL(set.loginUrl).hostname
  if (!isSalesforceHost(host) && !isLoopbackHost(host)) {
    throw new TokenFileError('TOKEN_FILE_HOST_UNTRUSTED', `token file ${path} names the login host ${set.loginUrl}, outside Salesforce's domains, and SF_LOGIN_URL is not set to confirm it: set SF_LOGIN_URL=${set.loginUrl} if that is your login host (a custom Experience Cloud domain), otherwise do not use this file`)
  }
}

/** Warnings about a usable file (printed, and in --json `warnings`). */
export function tokenFileWarnings(set: StoredTokenSet): string[] {
  const checked = checkLoginUrl(set.instanceUrl)
  const w = checked.ok ? instanceUrlWarning(checked) : undefined
  return w === undefined ? [] : [`${w}: the access token is sent there`]
}

/** ssh's rule for private keys: a regular file, owned by us, no access for group or others. */
function assertPrivate(st: Stats, path: string): void {
  if (!st.isFile()) throw new TokenFileError('TOKEN_FILE_INVALID', `token file ${path} is ${st.isDirectory() ? 'a directory' : 'not a regular file'}: give the file written by sf-oauth flow --save`)
  // Windows has no POSIX modes or uids here; its ACLs are out of scope.
  if (process.platform !== 'win32') {
    const uid = process.getuid?.()
    if (uid !== undefined && st.uid !== uid) {
      throw new TokenFileError('TOKEN_FILE_PERMISSIONS', `token file ${path} belongs to uid ${st.uid}, not to you (uid ${uid}): whoever owns it can redirect your tokens; save your own with sf-oauth flow --save`)
    }
    const mode = st.mode & 0o777
    if ((mode & 0o077) !== 0) {
      const who = (mode & 0o022) !== 0 ? 'writable' : 'readable'
      throw new TokenFileError('TOKEN_FILE_PERMISSIONS', `token file ${path} is ${who} by group or others (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 ${shellPath(path)}; if others could read it, revoke it (sf-oauth revoke --file) after the chmod`)
    }
  }
  if (st.size > MAX_TOKEN_FILE_BYTES) throw new TokenFileError('TOKEN_FILE_INVALID', `token file ${path} is ${st.size} bytes, over ${MAX_TOKEN_FILE_BYTES}: a saved token set is about 2 KB; give the file written by sf-oauth flow --save`)
}

/**
 * Read and validate a token file, before any network I/O. `expect`: the login URL it must be from.
 * Missing file: USAGE_INVALID (as before). Everything else wrong with it: a TokenFileError.
 *
 * @throws `USAGE_INVALID` when the file is missing; `TOKEN_FILE_SYMLINK`, `TOKEN_FILE_PERMISSIONS` (readable
 *   by others), `TOKEN_FILE_INVALID` (not a token file), `TOKEN_FILE_HOST_UNTRUSTED` (its URLs name a host
 *   the token may not go to), `TOKEN_FILE_HOST_MISMATCH` (another login host than `expect`); exit 2.
 */
export async function readTokenFile(path: string, opts: { expect?: LoginUrlExpectation | undefined } = {}): Promise<StoredTokenSet> {
  const bytes = await readPrivateFile(path, {
    maxBytes: MAX_TOKEN_FILE_BYTES,
    refused: (code, link) => link
      ? new TokenFileError('TOKEN_FILE_SYMLINK', `token file ${path} is a symbolic link: refresh writes the rotated token back to this path, never through a link; use the real file's path`)
      : new UsageError(`token file ${path} cannot be read${code === 'ENOENT' || code === undefined ? '' : ` (${code})`}: run sf-oauth flow --save ${shellPath(path)} first`),
    judge: (st) => assertPrivate(st, path),
    tooBig: () => new TokenFileError('TOKEN_FILE_INVALID', `token file ${path} is over ${MAX_TOKEN_FILE_BYTES} bytes: give the file written by sf-oauth flow --save`),
  })
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '')
  } catch {
    throw new TokenFileError('TOKEN_FILE_INVALID', `token file ${path} is not UTF-8 text: save it again with sf-oauth flow --save ${shellPath(path)}`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new TokenFileError('TOKEN_FILE_INVALID', `token file ${path} is not JSON: save it again with sf-oauth flow --save ${shellPath(path)}`)
  }
  const set = parseTokenSet(data, path)
  assertTokenFileHost(set, path, opts.expect)
  return set
}
