/**
 * The pending file of `authorize-url --pending FILE` / `exchange --pending FILE`: what the token request
 * needs from the authorize request (state, PKCE verifier, redirect URI, scope, app, login host) between two
 * commands. It holds the verifier, a secret: written by the safe writer (0600, atomic, never through a
 * link), read back as untrusted input (ours, private, small, its JSON), deleted once the code was sent.
 */
import { rm } from 'node:fs/promises'
import { HarnessError } from '../errors.js'
import { writeFileAtomic } from './atomic.js'
import { readPrivateFile } from './private-file.js'
import { shellPath } from './token-file.js'

export interface PendingAuthorization {
  readonly version: 1
  readonly loginUrl: string
  readonly clientId: string
  readonly redirectUri: string
  readonly scope: string
  /** The authorize URL as printed: the exchange re-checks its PKCE challenge against the verifier. */
  readonly authorizeUrl: string
  readonly state: string
  /** PKCE's code_verifier; null with SF_PKCE=false. */
  readonly codeVerifier: string | null
  /** The OpenID Connect nonce sent (scope with openid); null or absent otherwise. */
  readonly nonce?: string | null
  /** ISO 8601: when the authorize URL was made, and when its code can no longer be redeemed. */
  readonly createdAt: string
  readonly expiresAt: string
}

/** A pending file is well under 1 KB. */
const MAX_PENDING_BYTES = 16 * 1024
const FIELDS = ['loginUrl', 'clientId', 'redirectUri', 'scope', 'authorizeUrl', 'state', 'createdAt', 'expiresAt'] as const

function invalid(path: string, why: string): HarnessError {
  return new HarnessError('PENDING_INVALID', `pending file ${path} ${why}: run sf-oauth authorize-url --pending ${shellPath(path)} again`)
}

export async function writePendingFile(path: string, p: PendingAuthorization): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(p, null, 2)}\n`, 0o600)
}

/** Validate parsed JSON as a pending authorization (pure); values are never echoed. */
export function parsePending(data: unknown, path: string): PendingAuthorization {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid(path, 'is not a JSON object')
  const d = data as Record<string, unknown>
  const problems: string[] = []
  if (d.version !== 1) problems.push('version is not 1')
  for (const k of FIELDS) if (typeof d[k] !== 'string' || d[k] === '') problems.push(`${k} is missing or not a string`)
  if (!(d.codeVerifier === null || (typeof d.codeVerifier === 'string' && /^[A-Za-z0-9._~-]{43,171}$/.test(d.codeVerifier)))) problems.push('codeVerifier is not a PKCE verifier or null')
  if (!(d.nonce === undefined || d.nonce === null || (typeof d.nonce === 'string' && /^[A-Za-z0-9._~-]{16,256}$/.test(d.nonce)))) problems.push('nonce is not a nonce or null')
  for (const k of ['createdAt', 'expiresAt'] as const) if (typeof d[k] === 'string' && Number.isNaN(Date.parse(d[k]))) problems.push(`${k} is not a date`)
  if (typeof d.authorizeUrl === 'string' && !URL.canParse(d.authorizeUrl)) problems.push('authorizeUrl is not a URL')
  if (problems.length > 0) throw invalid(path, `is not a pending authorization (${problems.join('; ')})`)
  const s = (k: (typeof FIELDS)[number]) => d[k] as string
  return { version: 1, loginUrl: s('loginUrl'), clientId: s('clientId'), redirectUri: s('redirectUri'), scope: s('scope'), authorizeUrl: s('authorizeUrl'), state: s('state'), codeVerifier: d.codeVerifier as string | null, nonce: (d.nonce ?? null) as string | null, createdAt: s('createdAt'), expiresAt: s('expiresAt') }
}

/** Read FILE: missing → PENDING_GONE (exchange deletes it once the code was sent); anything odd → PENDING_INVALID. */
export async function readPendingFile(path: string): Promise<PendingAuthorization> {
  const text = (await readPrivateFile(path, {
    maxBytes: MAX_PENDING_BYTES,
    refused: (code, link) => code === 'ENOENT'
      ? new HarnessError('PENDING_GONE', `pending file ${path} does not exist: exchange deletes it once it has sent the code (a code is redeemed once), or authorize-url never wrote it; run sf-oauth authorize-url --pending ${shellPath(path)} again and log in again`)
      : invalid(path, link ? 'is a symbolic link' : `cannot be read (${code ?? 'error'})`),
    judge: (st) => {
      if (!st.isFile()) throw invalid(path, 'is not a regular file')
      if (process.platform !== 'win32') {
        const uid = process.getuid?.()
        if (uid !== undefined && st.uid !== uid) throw invalid(path, `belongs to uid ${st.uid}, not to you`)
        if ((st.mode & 0o077) !== 0) throw invalid(path, `is open to group or others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); it holds the PKCE verifier`)
      }
    },
    tooBig: () => invalid(path, `is over ${MAX_PENDING_BYTES} bytes`),
  })).toString('utf8')
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw invalid(path, 'is not JSON')
  }
  return parsePending(data, path)
}

export async function deletePendingFile(path: string): Promise<void> {
  await rm(path, { force: true })
}
