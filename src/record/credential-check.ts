/**
 * Finds credential-shaped values that are not known fakes: what must never be committed under fixtures/
 * or leave a transcript. The shapes are src/credentials/shapes.ts, in their `loose` variants: anything
 * that could be real is caught (the artifact scan, which reads test output, takes the `strict` ones).
 */
import { ACCESS_TOKEN, AUTHORIZATION_CODE, CLIENT_SECRET, findShapes, JWT, REFRESH_TOKEN, SFDX_AUTH_URL, type NamedShape } from '../credentials/shapes.js'
import { isKnownFakeSpelling } from './fakes.js'

export const FIXTURE_SHAPES: readonly NamedShape[] = [
  { kind: ACCESS_TOKEN.label, pattern: ACCESS_TOKEN.loose },
  { kind: REFRESH_TOKEN.label, pattern: REFRESH_TOKEN.loose },
  { kind: AUTHORIZATION_CODE.label, pattern: AUTHORIZATION_CODE.loose },
  { kind: JWT.label, pattern: JWT.loose },
  { kind: SFDX_AUTH_URL.label, pattern: SFDX_AUTH_URL.any },
  // A consumer secret: by name, in a form or JSON, whatever it looks like...
  { kind: CLIENT_SECRET.label, pattern: CLIENT_SECRET.byName },
  // ...and by shape: 64 hex digits.
  { kind: `${CLIENT_SECRET.label} (64 hex)`, pattern: CLIENT_SECRET.hex64 },
]

export interface CredentialFinding {
  readonly kind: string
  /** Masked: the first 4 characters and the length. */
  readonly value: string
  readonly line: number
}

export function findCredentials(text: string): CredentialFinding[] {
  return findShapes(text, FIXTURE_SHAPES, isKnownFakeSpelling).map((m) => ({
    kind: m.kind,
    value: `${m.value.slice(0, 4)}…(${m.value.length} chars)`,
    line: text.slice(0, m.index).split('\n').length,
  }))
}
