/**
 * The one redactor. Every channel (console, --json, errors and their causes, Playwright step titles and
 * attachments, transcripts) goes through it. It removes two kinds of things:
 *  - values registered at run time (the password, the client secret, each code, verifier and token),
 *    in their raw, percent-encoded and form-encoded spellings;
 *  - anything shaped like a Salesforce credential, even if never registered (src/credentials/shapes.ts,
 *    after sfdx-core's logger filters: `00D…!…` sessions, JWTs, `force://` URLs), and proxy user:password@.
 */

import { channel } from 'node:diagnostics_channel'
import { ACCESS_TOKEN, AUTHORIZATION_CODE, AUTHORIZATION_HEADER, JWT, REFRESH_TOKEN, SFDX_AUTH_URL, maskUserinfo } from './credentials/shapes.js'

const PREFIX_MIN_LENGTH = 20

/**
 * Each secret the process-wide redactor learns is published once (the raw string) on this Node diagnostics channel, so
 * something outside the process can scrub what the process wrote: the test suite's secret scans hand the
 * worker's secrets to the reporter's scan this way (tests/support/scrub.ts). Nothing is published while
 * nobody subscribes. A subscriber holds secrets: it must keep them as carefully as the redactor does.
 */
export const SECRET_CHANNEL = 'sf-oauth:redact:secret'
const secretChannel = channel(SECRET_CHANNEL)

/**
 * Masked form of a secret: a short prefix (only for long, random values) and the length.
 * `5Aep861…(87 chars)` keeps 4 characters; a password keeps none: `***(12 chars)`.
 */
export function mask(value: string): string {
  const prefix = value.length >= PREFIX_MIN_LENGTH ? value.slice(0, 4) : ''
  return `${prefix || '***'}…(${value.length} chars)`
}

/**
 * Anything credential-shaped (src/credentials/shapes.ts): the redactor takes the `encoded` spellings, so a
 * percent-encoded code or refresh token goes whole, and would rather mask a neighbour than leave a tail.
 */
const PATTERNS: readonly RegExp[] = [
  // Not a placeholder such as force://<clientId>:<clientSecret>:<refreshToken>@<instance>. First: once the
  // refresh token inside is masked, the whole URL (and its client secret) would no longer be.
  SFDX_AUTH_URL.loose,
  ACCESS_TOKEN.loose,
  REFRESH_TOKEN.encoded,
  AUTHORIZATION_CODE.encoded,
  JWT.loose,
  AUTHORIZATION_HEADER.loose,
]

/** Parameter names whose values are secrets wherever they appear as `name=value` or `"name":"value"`. */
const SECRET_KEYS = ['code', 'code_verifier', 'client_secret', 'password', 'pw', 'refresh_token', 'access_token', 'token', 'id_token', 'emc', 'tc']
const KEY_VALUE = new RegExp(`([?&]|^|\\s)(${SECRET_KEYS.join('|')})=([^&\\s"']+)`, 'g')
const JSON_VALUE = new RegExp(`"(${SECRET_KEYS.join('|')}|clientSecret|refreshToken|accessToken|codeVerifier)"\\s*:\\s*"([^"]*)"`, 'g')

/**
 * A set of secrets and the masking of them (and of secret-shaped keys: `access_token=...`, `"refreshToken": ...`)
 * in text and values. The process uses one, {@link redactor}; a new one is for a sink of its own.
 */
export class Redactor {
  readonly #secrets = new Map<string, string>()
  readonly #publish: boolean

  /** `publish`: announce each new secret on SECRET_CHANNEL (only the process-wide redactor does). */
  constructor(options: { readonly publish?: boolean } = {}) {
    this.#publish = options.publish === true
  }

  /** Register a secret value; shorter than 4 characters is not worth (or safe) matching. */
  add(value: string | undefined | null): void {
    if (!value || value.length < 4) return
    if (this.#publish && !this.#secrets.has(value) && secretChannel.hasSubscribers) secretChannel.publish(value)
    const masked = mask(value)
    for (const form of spellings(value)) {
      if (!this.#secrets.has(form)) this.#secrets.set(form, masked)
    }
  }

  get size(): number {
    return this.#secrets.size
  }

  /** Redact a string: registered values first (longest first), then credential-shaped patterns. */
  text(input: string): string {
    let out = input
    const forms = [...this.#secrets.keys()].sort((a, b) => b.length - a.length)
    for (const form of forms) {
      if (out.includes(form)) out = out.split(form).join(this.#secrets.get(form) ?? '***')
    }
    for (const re of PATTERNS) out = out.replace(re, (m) => (m.includes('…(') ? m : mask(m)))
    // scheme://user:password@host (a proxy URL): the user information goes, the host stays.
    out = maskUserinfo(out)
    out = out.replace(KEY_VALUE, (m, lead: string, key: string, value: string) =>
      value.includes('…(') ? m : `${lead}${key}=${mask(safeDecode(value))}`,
    )
    out = out.replace(JSON_VALUE, (m, key: string, value: string) =>
      value.includes('…(') || value === '' ? m : `"${key}":"${mask(value)}"`,
    )
    return out
  }

  /** Deep-redact a JSON-able value (for --json output and error causes). */
  value<T>(input: T): T {
    return redactValue(input, this, new WeakSet()) as T
  }
}

function spellings(value: string): string[] {
  const forms = new Set([value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)])
  return [...forms]
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    return value
  }
}

function redactValue(input: unknown, r: Redactor, seen: WeakSet<object>): unknown {
  if (typeof input === 'string') return r.text(input)
  if (input === null || typeof input !== 'object') return input
  if (seen.has(input)) return '[circular]'
  seen.add(input)
  if (Array.isArray(input)) return input.map((v) => redactValue(v, r, seen))
  if (input instanceof Error) {
    return { name: input.name, message: r.text(input.message), ...(input.cause === undefined ? {} : { cause: redactValue(input.cause, r, seen) }) }
  }
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(input)) out[k] = redactValue(v, r, seen)
  return out
}

/** The process-wide redactor. Secrets are registered as soon as they are known. */
export const redactor = new Redactor({ publish: true })
