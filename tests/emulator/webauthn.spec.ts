/** The emulator's WebAuthn checks (W3C WebAuthn Level 2 WebAuthn-2 s.7.1, WebAuthn-2 s.7.2), fed right and wrong answers built with node:crypto. */
import { randomBytes } from 'node:crypto'
import { expect } from '@playwright/test'
import { verifyAssertion, verifyRegistration, WebAuthnError } from '../../src/emulator/webauthn.js'
import { startEmulator } from '../../src/emulator/index.js'
import { authData, cbor, clientData, es256, newPasskey } from '../support/passkey.js'
import { test } from '../support/scrub.js'

const ORIGIN = 'http://localhost:4567'
const RP = 'localhost'
const UP = 0x01
const UV = 0x04
const AT = 0x40

function registration(o: { fmt: 'none' | 'packed'; origin?: string; rpId?: string; flags?: number; badSig?: boolean }) {
  const key = newPasskey()
  const challenge = randomBytes(32)
  const cd = clientData('webauthn.create', challenge.toString('base64url'), o.origin ?? ORIGIN)
  const id = Buffer.from(key.id, 'base64url')
  const auth = authData({ rpId: o.rpId ?? RP, flags: o.flags ?? UP | UV | AT, signCount: 0, credential: { id, publicKey: key.publicKey } })
  const sig = es256(key.privateKey, auth, cd)
  if (o.badSig === true) sig.writeUInt8(sig.readUInt8(sig.length - 1) ^ 1, sig.length - 1)
  const attStmt = o.fmt === 'none' ? new Map() : new Map<string | number, number | Buffer>([['alg', -7], ['sig', sig]])
  const attestationObject = cbor(new Map<string, string | Buffer | Map<string | number, number | Buffer>>([['fmt', o.fmt], ['attStmt', attStmt], ['authData', auth]]))
  return { key, challenge, input: { clientDataJSON: cd, attestationObject } }
}

const message = (f: () => unknown): string => {
  try {
    f()
  } catch (err) {
    if (err instanceof WebAuthnError) return err.message
    throw err
  }
  return 'accepted'
}

test('registration: "none" and "packed" self attestation are accepted, with the credential id and key', () => {
  for (const fmt of ['none', 'packed'] as const) {
    const r = registration({ fmt })
    const cred = verifyRegistration(r.input, { origin: ORIGIN, rpId: RP, challenge: r.challenge })
    expect(cred.attestation).toBe(fmt === 'none' ? 'none' : 'packed-self')
    expect(cred.id.toString('base64url')).toBe(r.key.id)
    expect(cred.publicKey.export({ format: 'jwk' })).toEqual(r.key.publicKey.export({ format: 'jwk' }))
  }
})

test('registration refusals: challenge, origin, RP ID hash, user presence, packed signature', () => {
  const r = registration({ fmt: 'packed' })
  expect(message(() => verifyRegistration(r.input, { origin: ORIGIN, rpId: RP, challenge: randomBytes(32) }))).toBe('challenge does not match')
  expect(message(() => verifyRegistration(registration({ fmt: 'none', origin: 'http://evil.example' }).input, { origin: ORIGIN, rpId: RP, challenge: Buffer.alloc(0) }))).toMatch(/challenge|origin/)
  const o = registration({ fmt: 'none', origin: 'http://localhost:1' })
  expect(message(() => verifyRegistration(o.input, { origin: ORIGIN, rpId: RP, challenge: o.challenge }))).toBe('origin does not match')
  const h = registration({ fmt: 'none', rpId: 'example.com' })
  expect(message(() => verifyRegistration(h.input, { origin: ORIGIN, rpId: RP, challenge: h.challenge }))).toBe('RP ID hash does not match')
  const p = registration({ fmt: 'none', flags: UV | AT })
  expect(message(() => verifyRegistration(p.input, { origin: ORIGIN, rpId: RP, challenge: p.challenge }))).toBe('user present flag not set')
  const s = registration({ fmt: 'packed', badSig: true })
  expect(message(() => verifyRegistration(s.input, { origin: ORIGIN, rpId: RP, challenge: s.challenge }))).toBe('packed self attestation: bad signature')
})

test('assertion: signature over authenticatorData || SHA-256(clientDataJSON), UP flag, growing sign count', () => {
  const key = newPasskey()
  const challenge = randomBytes(32)
  const expected = { origin: ORIGIN, rpId: RP, challenge }
  const assertion = (o: { signCount: number; flags?: number; signer?: typeof key.privateKey; origin?: string }) => {
    const cd = clientData('webauthn.get', challenge.toString('base64url'), o.origin ?? ORIGIN)
    const auth = authData({ rpId: RP, flags: o.flags ?? UP | UV, signCount: o.signCount })
    return { clientDataJSON: cd, authenticatorData: auth, signature: es256(o.signer ?? key.privateKey, auth, cd) }
  }
  expect(verifyAssertion(assertion({ signCount: 5 }), { publicKey: key.publicKey, signCount: 4 }, expected)).toEqual({ signCount: 5, userVerified: true })
  expect(message(() => verifyAssertion(assertion({ signCount: 4 }), { publicKey: key.publicKey, signCount: 4 }, expected))).toMatch(/sign count did not increase/)
  expect(message(() => verifyAssertion(assertion({ signCount: 5, flags: UV }), { publicKey: key.publicKey, signCount: 4 }, expected))).toBe('user present flag not set')
  expect(message(() => verifyAssertion(assertion({ signCount: 5, signer: newPasskey().privateKey }), { publicKey: key.publicKey, signCount: 4 }, expected))).toBe('assertion signature does not verify')
  expect(message(() => verifyAssertion(assertion({ signCount: 5, origin: 'http://127.0.0.1:4567' }), { publicKey: key.publicKey, signCount: 4 }, expected))).toBe('origin does not match')
})

test('over HTTP: a challenge is single-use (a replayed assertion is refused on the next login)', async () => {
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0 })
  try {
    emulator.app.configure({ verification: 'passkey' })
    const { user } = emulator.app.seed
    const key = newPasskey()
    emulator.app.state.passkeys.set(user.username, [{ id: Buffer.from(key.id, 'base64url'), publicKey: key.publicKey, signCount: 0 }])
    // Origin and RP ID as this client reaches the emulator (a browser would need localhost; the server only compares).
    const base = emulator.url
    const login = async () => {
      const res = await fetch(`${emulator.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: user.username, pw: user.password, startURL: '/' }), redirect: 'manual' })
      const hid = /hid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? ''
      const page = await (await fetch(`${emulator.url}${res.headers.get('location') ?? ''}`, { headers: { cookie: `hid=${hid}` } })).text()
      const challenge = (JSON.parse(/id="wa-options">([^<]*)</.exec(page)?.[1] ?? '{}') as { challenge: string }).challenge
      return { hid, challenge }
    }
    const post = async (hid: string, body: Record<string, string>) =>
      fetch(`${emulator.url}/_ui/identity/verification/method/UnifiedPasskeyVerificationUi`, { method: 'POST', headers: { cookie: `hid=${hid}`, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body), redirect: 'manual' })
    const first = await login()
    const cd = clientData('webauthn.get', first.challenge, base)
    const auth = authData({ rpId: new URL(base).hostname, flags: UP | UV, signCount: 1 })
    const body = { credentialId: key.id, clientDataJSON: cd.toString('base64url'), authenticatorData: auth.toString('base64url'), signature: es256(key.privateKey, auth, cd).toString('base64url') }
    const ok = await post(first.hid, body)
    expect(ok.status).toBe(302)
    expect(ok.headers.get('set-cookie')).toContain('sid=')
    const second = await login()
    const replay = await post(second.hid, body)
    expect(replay.status).toBe(200)
    expect(await replay.text()).toContain('challenge unknown, used or expired')
  } finally {
    await emulator.close()
  }
})
