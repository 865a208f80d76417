/**
 * The server side of WebAuthn Level 2 (https://www.w3.org/TR/webauthn-2/), as a relying party checks it:
 * registration (WebAuthn-2 s.7.1) with attestation formats `none` and `packed` (WebAuthn-2 s.8.2: self attestation, or an x5c
 * certificate whose signature is checked but whose chain is not: Salesforce asks for "direct" attestation
 * and was not seen checking the authenticator model), and authentication (WebAuthn-2 s.7.2). ES256 (ECDSA P-256 over
 * SHA-256, COSE alg -7) only: what platform authenticators and Chromium's virtual one create.
 * Everything here is node:crypto; the emulator shares no code with the harness.
 */
import { createHash, createPublicKey, timingSafeEqual, verify, X509Certificate, type KeyObject } from 'node:crypto'

/** A WebAuthn refusal: the page shows it, the login does not go on. */
export class WebAuthnError extends Error {}

// ── CBOR (RFC 8949), the subset WebAuthn uses: unsigned/negative ints, byte and text strings, arrays, maps ──

type Cbor = number | Buffer | string | Cbor[] | Map<Cbor, Cbor> | boolean | null

function decodeItem(buf: Buffer, at: number, depth: number): [Cbor, number] {
  if (depth > 16) throw new WebAuthnError('CBOR nested too deep')
  if (at >= buf.length) throw new WebAuthnError('CBOR truncated')
  const head = buf.readUInt8(at)
  const major = head >> 5
  const info = head & 0x1f
  let len: number
  let p = at + 1
  if (info < 24) len = info
  else if (info === 24) { len = buf.readUInt8(p); p += 1 }
  else if (info === 25) { len = buf.readUInt16BE(p); p += 2 }
  else if (info === 26) { len = buf.readUInt32BE(p); p += 4 }
  else throw new WebAuthnError('CBOR: unsupported length encoding')
  switch (major) {
    case 0: return [len, p]
    case 1: return [-1 - len, p]
    case 2:
    case 3: {
      if (p + len > buf.length) throw new WebAuthnError('CBOR truncated')
      const bytes = buf.subarray(p, p + len)
      return [major === 2 ? Buffer.from(bytes) : bytes.toString('utf8'), p + len]
    }
    case 4: {
      const out: Cbor[] = []
      for (let i = 0; i < len; i++) { const [v, next] = decodeItem(buf, p, depth + 1); out.push(v); p = next }
      return [out, p]
    }
    case 5: {
      const out = new Map<Cbor, Cbor>()
      for (let i = 0; i < len; i++) {
        const [k, afterKey] = decodeItem(buf, p, depth + 1)
        const [v, afterValue] = decodeItem(buf, afterKey, depth + 1)
        out.set(k, v)
        p = afterValue
      }
      return [out, p]
    }
    case 7:
      if (info === 20 || info === 21) return [info === 21, p]
      if (info === 22) return [null, p]
      throw new WebAuthnError('CBOR: unsupported simple value')
    default:
      throw new WebAuthnError('CBOR: unsupported major type')
  }
}

/** Decode one CBOR item; also returns where it ended (authenticator data continues after the COSE key). */
export function decodeCbor(buf: Buffer, at = 0): [Cbor, number] {
  return decodeItem(buf, at, 0)
}

// ── keys ──

/** A COSE_Key (RFC 9053 §7.1.1) of kty EC2, crv P-256, alg ES256, as a node KeyObject. */
export function coseToKey(cose: Cbor): KeyObject {
  if (!(cose instanceof Map)) throw new WebAuthnError('credential public key is not a COSE map')
  const x = cose.get(-2)
  const y = cose.get(-3)
  if (cose.get(1) !== 2 || cose.get(3) !== -7 || cose.get(-1) !== 1 || !Buffer.isBuffer(x) || !Buffer.isBuffer(y) || x.length !== 32 || y.length !== 32) {
    throw new WebAuthnError('credential public key is not ES256 (EC2, P-256)')
  }
  return createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: x.toString('base64url'), y: y.toString('base64url') }, format: 'jwk' })
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest()

// ── authenticator data (WebAuthn-2 s.6.1) ──

export interface AuthenticatorData {
  readonly rpIdHash: Buffer
  readonly userPresent: boolean
  readonly userVerified: boolean
  readonly signCount: number
  readonly credential?: { readonly id: Buffer; readonly publicKey: KeyObject }
}

export function parseAuthenticatorData(data: Buffer): AuthenticatorData {
  if (data.length < 37) throw new WebAuthnError('authenticator data too short')
  const flags = data.readUInt8(32)
  const out = { rpIdHash: data.subarray(0, 32), userPresent: (flags & 0x01) !== 0, userVerified: (flags & 0x04) !== 0, signCount: data.readUInt32BE(33) }
  if ((flags & 0x40) === 0) return out
  // Attested credential data: AAGUID (16), credential id length (2), id, COSE public key.
  if (data.length < 55) throw new WebAuthnError('attested credential data truncated')
  const idLength = data.readUInt16BE(53)
  if (data.length < 55 + idLength) throw new WebAuthnError('credential id truncated')
  const id = data.subarray(55, 55 + idLength)
  const [cose] = decodeCbor(data, 55 + idLength)
  return { ...out, credential: { id: Buffer.from(id), publicKey: coseToKey(cose) } }
}

// ── client data (WebAuthn-2 s.5.8.1) ──

interface Expected {
  /** The challenge the server issued (raw bytes). */
  readonly challenge: Buffer
  /** The origin the page was served from, e.g. http://localhost:4567. */
  readonly origin: string
  /** The RP ID: the origin's host name (never an IP address, WebAuthn-2 s.5.1.3 / HTML's "registrable domain"). */
  readonly rpId: string
}

function checkClientData(clientDataJSON: Buffer, type: 'webauthn.create' | 'webauthn.get', expected: Expected): void {
  let data: { type?: unknown; challenge?: unknown; origin?: unknown }
  try {
    data = JSON.parse(clientDataJSON.toString('utf8')) as typeof data
  } catch {
    throw new WebAuthnError('clientDataJSON is not JSON')
  }
  if (data.type !== type) throw new WebAuthnError(`clientDataJSON type is not ${type}`)
  const challenge = typeof data.challenge === 'string' ? Buffer.from(data.challenge, 'base64url') : Buffer.alloc(0)
  if (challenge.length !== expected.challenge.length || !timingSafeEqual(challenge, expected.challenge)) throw new WebAuthnError('challenge does not match')
  if (data.origin !== expected.origin) throw new WebAuthnError('origin does not match')
}

function checkAuthData(auth: AuthenticatorData, expected: Expected): void {
  if (!auth.rpIdHash.equals(sha256(expected.rpId))) throw new WebAuthnError('RP ID hash does not match')
  if (!auth.userPresent) throw new WebAuthnError('user present flag not set')
}

/** ECDSA signatures in WebAuthn are DER-encoded (WebAuthn-2 s.6.5.5 "packed"; WebAuthn-2 s.7.2 step 20). */
function verifyEs256(key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    return verify('sha256', data, { key, dsaEncoding: 'der' }, signature)
  } catch {
    return false
  }
}

export interface RegisteredCredential {
  readonly id: Buffer
  readonly publicKey: KeyObject
  readonly signCount: number
  readonly userVerified: boolean
  readonly attestation: 'none' | 'packed-self' | 'packed-x5c'
}

/** WebAuthn-2 s.7.1 steps 5–24: check a new credential; returns it for storing. */
export function verifyRegistration(input: { clientDataJSON: Buffer; attestationObject: Buffer }, expected: Expected): RegisteredCredential {
  checkClientData(input.clientDataJSON, 'webauthn.create', expected)
  const [att] = decodeCbor(input.attestationObject)
  if (!(att instanceof Map)) throw new WebAuthnError('attestationObject is not a map')
  const fmt = att.get('fmt')
  const attStmt = att.get('attStmt')
  const authDataRaw = att.get('authData')
  if (typeof fmt !== 'string' || !(attStmt instanceof Map) || !Buffer.isBuffer(authDataRaw)) throw new WebAuthnError('attestationObject lacks fmt, attStmt or authData')
  const auth = parseAuthenticatorData(authDataRaw)
  checkAuthData(auth, expected)
  if (auth.credential === undefined) throw new WebAuthnError('no attested credential data')
  const signed = Buffer.concat([authDataRaw, sha256(input.clientDataJSON)])
  let attestation: RegisteredCredential['attestation']
  if (fmt === 'none') {
    if (attStmt.size !== 0) throw new WebAuthnError('"none" attestation with a statement')
    attestation = 'none'
  } else if (fmt === 'packed') {
    // WebAuthn-2 s.8.2: alg, sig, and x5c for full attestation; without x5c the credential key signs (self attestation).
    const alg = attStmt.get('alg')
    const sig = attStmt.get('sig')
    const x5c = attStmt.get('x5c')
    if (alg !== -7 || !Buffer.isBuffer(sig)) throw new WebAuthnError('packed attestation: alg is not ES256 or sig is missing')
    if (x5c === undefined) {
      if (!verifyEs256(auth.credential.publicKey, signed, sig)) throw new WebAuthnError('packed self attestation: bad signature')
      attestation = 'packed-self'
    } else {
      const leaf = Array.isArray(x5c) ? x5c[0] : undefined
      if (!Buffer.isBuffer(leaf)) throw new WebAuthnError('packed attestation: x5c is not a certificate list')
      let key: KeyObject
      try {
        key = new X509Certificate(leaf).publicKey
      } catch {
        throw new WebAuthnError('packed attestation: x5c[0] is not a certificate')
      }
      if (!verifyEs256(key, signed, sig)) throw new WebAuthnError('packed attestation: bad signature')
      attestation = 'packed-x5c'
    }
  } else {
    throw new WebAuthnError(`attestation format ${fmt} is not supported`)
  }
  return { id: auth.credential.id, publicKey: auth.credential.publicKey, signCount: auth.signCount, userVerified: auth.userVerified, attestation }
}

/** WebAuthn-2 s.7.2 steps 7–21: check an assertion with the stored key; returns the new sign count. */
export function verifyAssertion(
  input: { clientDataJSON: Buffer; authenticatorData: Buffer; signature: Buffer },
  stored: { publicKey: KeyObject; signCount: number },
  expected: Expected,
): { signCount: number; userVerified: boolean } {
  checkClientData(input.clientDataJSON, 'webauthn.get', expected)
  const auth = parseAuthenticatorData(input.authenticatorData)
  checkAuthData(auth, expected)
  if (!verifyEs256(stored.publicKey, Buffer.concat([input.authenticatorData, sha256(input.clientDataJSON)]), input.signature)) throw new WebAuthnError('assertion signature does not verify')
  // WebAuthn-2 s.7.2 step 21: a count that does not grow (when either is non-zero) signals a cloned authenticator.
  if ((auth.signCount !== 0 || stored.signCount !== 0) && auth.signCount <= stored.signCount) throw new WebAuthnError('sign count did not increase: possibly a cloned authenticator')
  return { signCount: auth.signCount, userVerified: auth.userVerified }
}
