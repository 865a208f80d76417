/**
 * The one catalogue of what a Salesforce credential looks like. Pure, and imports nothing: the redactor
 * (src/redact.ts), the masker (src/record/mask.ts), the fixture check (src/record/credential-check.ts), the
 * CI artifact scan (scripts/scan-artifacts.mjs, through dist/) and the token response checks all take their
 * patterns from here, so they cannot drift apart again.
 *
 * Each shape has named variants, because the consumers want different things from the same shape:
 *  - `encoded`: also across percent-encoding (`%3D`); the redactor, which would rather mask too much.
 *  - `loose`:   the value as it appears decoded; the masker (which must keep the bytes next to a value)
 *               and the fixture check (which must catch anything that could be real).
 *  - `strict`:  only the lengths real values have; the artifact scan, which reads everything a run left
 *               (reports quote test code, whose short made-up values must not fail CI).
 *  - `start` / `exact`: anchored, not global: a check on one value.
 * Global patterns are for `replace`/`matchAll` only (both start from the beginning whatever `lastIndex`);
 * never call `.test` or `.exec` on them.
 *
 * Shapes follow what Salesforce issues (docs/security-shapes.md has the lengths and the public sources)
 * and sfdx-core's logger filters (`00D…!…` sessions, `5Aep` refresh tokens, `force://` URLs, JWTs).
 */

/** 15- or 18-character record ids: org (`00D`) and user (`005`). */
const ID_TAIL = '[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?'

export const ORG_ID = {
  label: 'org id (00D…)',
  /** Source for composing (the identity URL path): 15 or 18 characters. */
  source: `00D${ID_TAIL}`,
  /** A standalone org id, not part of a longer word (masker). */
  standalone: new RegExp(`(?<![A-Za-z0-9])00D${ID_TAIL}(?![A-Za-z0-9])`, 'g'),
} as const

export const USER_ID = {
  label: 'user id (005…)',
  source: `005${ID_TAIL}`,
  standalone: new RegExp(`(?<![A-Za-z0-9])005${ID_TAIL}(?![A-Za-z0-9])`, 'g'),
} as const

/** A session id: the 15- or 18-character org id, `!`, an opaque part. */
export const ACCESS_TOKEN = {
  label: 'access token (00D…!…)',
  loose: /00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g,
  /** Real session ids carry about 96 characters after the `!`. */
  strict: /00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]{20,}/g,
  /** The token response check: is this a session id (rather than a JWT-based access token)? */
  start: /^00D[A-Za-z0-9]{12,15}!/,
} as const

/** `5Aep861…`, 87 characters in the wild. */
export const REFRESH_TOKEN = {
  label: 'refresh token (5Aep…)',
  /** Also percent-encoded (`%3D`): the redactor. It may swallow an encoded neighbour; masking more is safe. */
  encoded: /5Aep[A-Za-z0-9._=%-]{20,}/g,
  loose: /5Aep[A-Za-z0-9._=-]{20,}/g,
  strict: /5Aep861[A-Za-z0-9._]{30,}/g,
  /** Which kind of bearer a value is (a refresh token sent as `token=` or `Bearer`). */
  start: /^5Aep/,
} as const

/** `aPrx` + 70 characters + `==`: 76 in all, as Salesforce issues them. */
export const AUTHORIZATION_CODE = {
  label: 'authorization code (aPrx…)',
  encoded: /aPrx[A-Za-z0-9._%=-]{20,}/g,
  /** Its `==` kept (or its percent-encoded spelling, which the masker decodes to the same value). */
  loose: /aPrx[A-Za-z0-9._-]{20,}(?:%3D%3D|={1,2})?/g,
  strict: /aPrx[A-Za-z0-9._]{60,}(?:==|%3D%3D)/g,
  /** The callback check: exactly the shape Salesforce issues. */
  exact: /^aPrx[A-Za-z0-9._]{70}==$/,
} as const

export const JWT = {
  label: 'JWT',
  loose: /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
} as const

/** sfdx auth URLs: `force://<client id>:<secret>:<refresh token>@<instance>`. */
export const SFDX_AUTH_URL = {
  label: 'sfdx auth URL (force://)',
  /**
   * With its `@host`, stopping at `<` and `>`: not a placeholder such as
   * `force://<clientId>:<clientSecret>:<refreshToken>@<instance>`, and not the HTML tag after it.
   */
  loose: /force:\/\/[^\s"'@<>]+@[^\s"'<>]+/g,
  /** Any `force://` text, `@host` or not: the fixture check, where none belongs. */
  any: /force:\/\/[^\s"'<>]+/g,
} as const

/** A consumer secret: 64 hex digits (External Client Apps and newer Connected Apps). */
export const CLIENT_SECRET = {
  label: 'client secret',
  /** By name, in a form or JSON, whatever the value looks like. */
  byName: /(?<=client_secret=|"client_?[sS]ecret"\s*:\s*")[^&\s"]+/g,
  hex64: /(?<![A-Za-z0-9])[0-9A-F]{64}(?![A-Za-z0-9])/g,
} as const

/** `Authorization: Bearer …` / `Basic …` values. */
export const AUTHORIZATION_HEADER = {
  label: 'Authorization header value',
  loose: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=!-]{8,}/g,
} as const

/**
 * `scheme://user:password@host` (a proxy URL): the user information. `loose` finds it in free text, as
 * RFC 3986 §3.2.1 writes it (no `/?#@` inside), so `https://h/a?b=c@d` is left alone. `typed` is for one
 * value meant as a URL that did not parse: its password may hold `/`, `:` or `@`, so everything from `//`
 * to the word's last `@` goes.
 */
export const URL_USERINFO = {
  label: 'URL user information',
  loose: /\/\/[^\s/?#@"'<>:]+:[^\s/?#@"'<>]*@/g,
  typed: /\/\/[^\s"'<>]*@/g,
} as const

/** `scheme://user:pass@host` → `scheme://***@host`, in free text (`loose`) or in one typed URL (`typed`). */
export function maskUserinfo(text: string, form: 'loose' | 'typed' = 'loose'): string {
  return text.replace(URL_USERINFO[form], '//***@')
}

/** A pattern with the name a finding reports. */
export interface NamedShape {
  readonly kind: string
  readonly pattern: RegExp
}

export interface ShapeMatch {
  readonly kind: string
  readonly value: string
  readonly index: number
}

/**
 * Every match of each shape in `text` that `allowed` does not let through (a known fake, for the fixture
 * check and the artifact scan), in the order of the list.
 */
export function findShapes(text: string, shapes: readonly NamedShape[], allowed: (value: string) => boolean = () => false): ShapeMatch[] {
  const found: ShapeMatch[] = []
  for (const { kind, pattern } of shapes) {
    for (const m of text.matchAll(pattern)) if (!allowed(m[0])) found.push({ kind, value: m[0], index: m.index })
  }
  return found
}
