/**
 * Turns recorded traffic into something safe to commit or attach to a bug report: every secret and
 * identifier is replaced by a known fake (src/record/fakes.ts), the same real value always by the same
 * fake within one recording (so a replay still sends the rotated token it was given), and every
 * `signature` is recomputed with the fake client secret so it still verifies (docs/salesforce-oauth.md §4).
 * Pure code: no I/O.
 */
import { computeSignature, verifySignature } from '../oauth/signature.js'
import {
  FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_INSTANCE_URL, FAKE_JWT, FAKE_LOGIN_URL, FAKE_ORG_ID, FAKE_PASSWORD, FAKE_USERNAME,
  fakeAccessToken, fakeCode, fakeRefreshToken, fakeUserId, fakeVerifier, isKnownFake,
} from './fakes.js'

export interface KnownValues {
  readonly loginUrl?: string | undefined
  readonly clientId?: string | undefined
  readonly clientSecret?: string | undefined
  readonly username?: string | undefined
  readonly password?: string | undefined
}

type Kind = 'access' | 'refresh' | 'code' | 'verifier' | 'user'

const SHAPES: readonly [Kind, RegExp][] = [
  ['access', /00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g],
  ['refresh', /5Aep[A-Za-z0-9._=-]{20,}/g],
  ['code', /aPrx[A-Za-z0-9._-]{20,}={0,2}/g],
]
const ORG_ID = /(?<![A-Za-z0-9])00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?(?![A-Za-z0-9])/g
const USER_ID = /(?<![A-Za-z0-9])005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?(?![A-Za-z0-9])/g
const JWT = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g
const FORCE_URL = /force:\/\/[^\s"'@]+@[^\s"']+/g
/** Form and JSON keys whose values are secrets whatever they look like. */
const SECRET_KEYS: Readonly<Record<string, Kind | 'secret' | 'password'>> = {
  code: 'code', code_verifier: 'verifier', refresh_token: 'refresh', access_token: 'access', token: 'access',
  client_secret: 'secret', password: 'password', pw: 'password',
}

export class Masker {
  readonly #map = new Map<string, string>()
  readonly #count: Record<Kind, number> = { access: 0, refresh: 0, code: 0, verifier: 0, user: 0 }
  readonly #clientSecret: string | undefined

  constructor(known: KnownValues = {}) {
    this.#clientSecret = known.clientSecret
    this.#set(known.clientSecret, FAKE_CLIENT_SECRET)
    this.#set(known.clientId, FAKE_CLIENT_ID)
    this.#set(known.password, FAKE_PASSWORD)
    this.#set(known.username, FAKE_USERNAME)
    if (known.loginUrl !== undefined) this.#set(new URL(known.loginUrl).origin, FAKE_LOGIN_URL)
  }

  #set(real: string | undefined, fake: string): void {
    if (real === undefined || real.length < 4 || isKnownFake(real)) return
    this.#map.set(real, fake)
    for (const form of [encodeURIComponent(real), new URLSearchParams({ v: real }).toString().slice(2)]) {
      if (form !== real) this.#map.set(form, new URLSearchParams({ v: fake }).toString().slice(2))
    }
  }

  #fake(kind: Kind, real: string): string {
    if (isKnownFake(real)) return real
    const known = this.#map.get(real)
    if (known !== undefined) return known
    const n = ++this.#count[kind]
    const fake = { access: fakeAccessToken, refresh: fakeRefreshToken, code: fakeCode, verifier: fakeVerifier, user: fakeUserId }[kind](kind === 'user' ? n - 1 : n)
    this.#set(real, fake)
    return fake
  }

  /** An instance URL (My Domain) is an identifier: it becomes the fake instance everywhere. */
  noteInstanceUrl(url: string): void {
    try {
      const origin = new URL(url).origin
      if (!this.#map.has(origin)) this.#set(origin, FAKE_INSTANCE_URL)
    } catch {
      // not a URL: nothing to note
    }
  }

  /** Mask free text: known values (longest first), then anything credential-shaped. */
  text(input: string): string {
    let out = input
    for (const real of [...this.#map.keys()].sort((a, b) => b.length - a.length)) {
      if (out.includes(real)) out = out.split(real).join(this.#map.get(real) ?? '')
    }
    for (const [kind, re] of SHAPES) out = out.replace(re, (m) => this.#fake(kind, safeDecode(m)))
    out = out.replace(ORG_ID, (m) => (isKnownFake(m) ? m : m.length === 15 ? FAKE_ORG_ID.slice(0, 15) : FAKE_ORG_ID))
    out = out.replace(USER_ID, (m) => this.#fake('user', m))
    out = out.replace(JWT, FAKE_JWT).replace(FORCE_URL, 'force://FAKE')
    return out
  }

  /** A form body: each secret parameter by its name, everything else as text. */
  form(body: string): string {
    const params = new URLSearchParams(body)
    const out = new URLSearchParams()
    for (const [k, v] of params) out.append(k, this.#value(k, v))
    return out.toString()
  }

  #value(key: string, value: string): string {
    const kind = SECRET_KEYS[key]
    if (kind === 'secret') { this.#set(value, FAKE_CLIENT_SECRET); return FAKE_CLIENT_SECRET }
    if (kind === 'password') { this.#set(value, FAKE_PASSWORD); return FAKE_PASSWORD }
    if (kind === 'access' && /^5Aep/.test(value)) return this.#fake('refresh', value)
    if (kind !== undefined && value !== '') return this.#fake(kind, value)
    return this.text(value)
  }

  /** A JSON body: values masked, then `signature` recomputed over the masked `id` + `issued_at`. */
  json(body: string): string {
    let data: unknown
    try {
      data = JSON.parse(body)
    } catch {
      // Truncated or not JSON: keep its bytes, masked as text.
      return this.text(body)
    }
    if (isRecord(data) && typeof data.instance_url === 'string') this.noteInstanceUrl(data.instance_url)
    const masked = this.#deep(data, undefined)
    if (isRecord(data) && isRecord(masked) && typeof masked.signature === 'string' && typeof masked.id === 'string' && typeof masked.issued_at === 'string') {
      // A signature that did not verify with the real secret must not verify with the fake one either:
      // the replay has to fail as the run did.
      const verified = this.#clientSecret === undefined || verifySignature(this.#clientSecret, String(data.id), String(data.issued_at), String(data.signature))
      masked.signature = computeSignature(verified ? FAKE_CLIENT_SECRET : `${FAKE_CLIENT_SECRET}-NOT`, masked.id, masked.issued_at)
    }
    return JSON.stringify(masked)
  }

  #deep(v: unknown, key: string | undefined): unknown {
    if (typeof v === 'string') return key === undefined ? this.text(v) : this.#value(key, v)
    if (Array.isArray(v)) return v.map((x) => this.#deep(x, undefined))
    if (isRecord(v)) {
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) out[k] = this.#deep(x, k)
      return out
    }
    return v
  }

  /** A body by its content type. */
  body(body: string | undefined, contentType: string | undefined): string | undefined {
    if (body === undefined) return undefined
    if (/json/i.test(contentType ?? '')) return this.json(body)
    if (/x-www-form-urlencoded/i.test(contentType ?? '')) return this.form(body)
    return this.text(body)
  }

  /** A URL: its origin through the known hosts, each query parameter by its name. */
  url(raw: string): string {
    let u: URL
    try {
      u = new URL(raw)
    } catch {
      return this.text(raw)
    }
    if (u.origin === 'null') return this.text(raw)
    const origin = this.#map.get(u.origin) ?? u.origin
    const query = u.search === '' ? '' : `?${this.form(u.search.slice(1))}`
    return `${origin}${this.text(u.pathname)}${query}`
  }

  /** Headers: cookies dropped, authorization kept in shape with a fake token, the rest as text. */
  headers(h: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(h)) {
      const key = k.toLowerCase()
      if (key === 'set-cookie' || key === 'cookie') continue
      if (key === 'authorization') {
        out[key] = v.startsWith('Bearer ') ? `Bearer ${this.#fake(/^5Aep/.test(v.slice(7)) ? 'refresh' : 'access', v.slice(7).trim())}` : 'Basic RkFLRTpGQUtF'
        continue
      }
      if (key === 'location') { out[key] = this.url(v); continue }
      out[key] = this.text(v)
    }
    return out
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v)
  } catch {
    return v
  }
}
