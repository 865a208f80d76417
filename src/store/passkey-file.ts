/**
 * SF_PASSKEY_FILE: one Chrome DevTools Protocol `WebAuthn.Credential` as JSON (credentialId,
 * isResidentCredential, rpId, privateKey = PKCS#8 of an ECDSA P-256 key, userHandle, signCount; binary
 * fields in standard base64). Its private key logs in as the user, so the file is read as untrusted input
 * and only when it is the user's own, mode 0600, not a link; it is written back (the sign count) atomically.
 */
import { createPrivateKey } from 'node:crypto'
import type { Stats } from 'node:fs'
import type { WebAuthnCredential } from '../browser/passkey.js'
import { HarnessError } from '../errors.js'
import { redactor } from '../redact.js'
import { writeFileAtomic } from './atomic.js'
import { readPrivateFile } from './private-file.js'

const MAX_BYTES = 16 * 1024
const B64 = /^[A-Za-z0-9+/]+={0,2}$/

function invalid(path: string, problem: string): HarnessError {
  return new HarnessError('PASSKEY_FILE_INVALID', `SF_PASSKEY_FILE ${path} ${problem}: create it with sf-oauth passkey enrol`)
}

/** Validate a parsed credential; the private key is registered as a secret before anything can print it. */
export function parsePasskey(data: unknown, path: string): WebAuthnCredential {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid(path, 'is not a JSON object')
  const o = data as Record<string, unknown>
  if (typeof o.privateKey === 'string') redactor.add(o.privateKey)
  const b64 = (k: string, optional = false): string | undefined => {
    const v = o[k]
    if (v === undefined && optional) return undefined
    if (typeof v !== 'string' || !B64.test(v) || v.length > 4096) throw invalid(path, `has no standard-base64 "${k}"`)
    return v
  }
  const credentialId = b64('credentialId') ?? ''
  const privateKey = b64('privateKey') ?? ''
  const userHandle = b64('userHandle', true)
  if (typeof o.rpId !== 'string' || !/^[a-z0-9.-]{1,253}$/i.test(o.rpId)) throw invalid(path, 'has no "rpId" (the host name the passkey belongs to)')
  if (typeof o.isResidentCredential !== 'boolean') throw invalid(path, 'has no boolean "isResidentCredential"')
  if (typeof o.signCount !== 'number' || !Number.isInteger(o.signCount) || o.signCount < 0 || o.signCount > 0xffffffff) throw invalid(path, 'has no "signCount" (a whole number)')
  try {
    const key = createPrivateKey({ key: Buffer.from(privateKey, 'base64'), format: 'der', type: 'pkcs8' })
    if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('curve')
  } catch {
    throw invalid(path, 'has a "privateKey" that is not PKCS#8 of an ECDSA P-256 key')
  }
  return { credentialId, isResidentCredential: o.isResidentCredential, rpId: o.rpId, privateKey, ...(userHandle === undefined ? {} : { userHandle }), signCount: o.signCount }
}

function assertPrivate(st: Stats, path: string): void {
  if (!st.isFile()) throw invalid(path, 'is not a regular file')
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined
  if ((st.mode & 0o077) !== 0 || (uid !== undefined && st.uid !== uid)) {
    throw new HarnessError('PASSKEY_FILE_PERMISSIONS', `SF_PASSKEY_FILE ${path} is mode ${(st.mode & 0o777).toString(8)}${uid !== undefined && st.uid !== uid ? ' and belongs to another user' : ''}: its private key logs in as the user; chmod 600 it (and remove the passkey in Salesforce if others could read it)`)
  }
}

export async function readPasskeyFile(path: string): Promise<WebAuthnCredential> {
  const text = (await readPrivateFile(path, {
    maxBytes: MAX_BYTES,
    refused: (code, link) => invalid(path, link ? 'is a symbolic link (the sign count is written back to this path, never through a link)' : `cannot be read (${code ?? 'error'})`),
    judge: (st) => assertPrivate(st, path),
    tooBig: () => invalid(path, `is over ${MAX_BYTES} bytes`),
  })).toString('utf8')
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw invalid(path, 'is not JSON')
  }
  return parsePasskey(data, path)
}

/** Write the credential (mode 0600, atomically, never through a link). */
export async function writePasskeyFile(path: string, credential: WebAuthnCredential): Promise<void> {
  redactor.add(credential.privateKey)
  await writeFileAtomic(path, `${JSON.stringify(credential, null, 2)}\n`, 0o600)
}
