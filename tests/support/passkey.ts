/**
 * Test passkeys: a fresh ECDSA P-256 key as a CDP WebAuthn.Credential (what SF_PASSKEY_FILE holds), and
 * the WebAuthn structures a browser would send, built by hand with node:crypto and a small CBOR encoder,
 * so the emulator's checks can be fed right and wrong answers.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto'
import type { WebAuthnCredential } from '../../src/browser/passkey.js'

export interface TestPasskey {
  readonly credential: WebAuthnCredential
  readonly publicKey: KeyObject
  readonly privateKey: KeyObject
  /** The credential id, base64url (the form the emulator's control API takes). */
  readonly id: string
}

export function newPasskey(rpId = 'localhost', signCount = 0): TestPasskey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const id = randomBytes(32)
  return {
    credential: { credentialId: id.toString('base64'), isResidentCredential: true, rpId, privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'), userHandle: Buffer.from('user').toString('base64'), signCount },
    publicKey,
    privateKey,
    id: id.toString('base64url'),
  }
}

type Cbor = number | Buffer | string | Cbor[] | Map<Cbor, Cbor>

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n])
  if (n < 256) return Buffer.from([(major << 5) | 24, n])
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff])
  const b = Buffer.alloc(5)
  b[0] = (major << 5) | 26
  b.writeUInt32BE(n, 1)
  return b
}

export function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? head(0, v) : head(1, -1 - v)
  if (Buffer.isBuffer(v)) return Buffer.concat([head(2, v.length), v])
  if (typeof v === 'string') return Buffer.concat([head(3, Buffer.byteLength(v)), Buffer.from(v)])
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(cbor)])
  return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])])
}

export const sha256 = (d: Buffer | string) => createHash('sha256').update(d).digest()

export function coseKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' })
  return cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(jwk.x ?? '', 'base64url')], [-3, Buffer.from(jwk.y ?? '', 'base64url')]]))
}

/** Authenticator data: rpIdHash, flags (UP 0x01, UV 0x04, AT 0x40), sign count, and attested credential data when given. */
export function authData(o: { rpId: string; flags: number; signCount: number; credential?: { id: Buffer; publicKey: KeyObject } }): Buffer {
  const count = Buffer.alloc(4)
  count.writeUInt32BE(o.signCount)
  const parts: Buffer[] = [sha256(o.rpId), Buffer.from([o.flags]), count]
  if (o.credential) {
    const len = Buffer.alloc(2)
    len.writeUInt16BE(o.credential.id.length)
    parts.push(Buffer.alloc(16), len, o.credential.id, coseKey(o.credential.publicKey))
  }
  return Buffer.concat(parts)
}

export function clientData(type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }))
}

/** An ES256 signature over authData || SHA-256(clientDataJSON), DER as WebAuthn sends it. */
export function es256(privateKey: KeyObject, auth: Buffer, clientDataJSON: Buffer): Buffer {
  return sign('sha256', Buffer.concat([auth, sha256(clientDataJSON)]), { key: privateKey, dsaEncoding: 'der' })
}
