/**
 * Finds credential-shaped values that are not known fakes: what must never be committed under fixtures/
 * or leave a transcript. Shapes after the redactor's (src/redact.ts) and sfdx-core's logger filters.
 */
import { isKnownFake } from './fakes.js'

const SHAPES: readonly [string, RegExp][] = [
  ['access token (00D…!…)', /00D[A-Za-z0-9]{12,15}![A-Za-z0-9._-]+/g],
  ['refresh token (5Aep…)', /5Aep[A-Za-z0-9._=-]{20,}/g],
  ['authorization code (aPrx…)', /aPrx[A-Za-z0-9._-]{20,}(?:==|%3D%3D)?/g],
  ['JWT', /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g],
  ['sfdx auth URL (force://)', /force:\/\/[^\s"'<>]+/g],
  // A consumer secret: by name, in a form or JSON, whatever it looks like...
  ['client secret', /(?<=client_secret=|"client_?[sS]ecret"\s*:\s*")[^&\s"]+/g],
  // ...and by shape: 64 hex digits (External Client Apps) or 19 digits (older Connected Apps).
  ['client secret (64 hex)', /(?<![A-Za-z0-9])[0-9A-F]{64}(?![A-Za-z0-9])/g],
]

export interface CredentialFinding {
  readonly kind: string
  /** Masked: the first 4 characters and the length. */
  readonly value: string
  readonly line: number
}

export function findCredentials(text: string): CredentialFinding[] {
  const found: CredentialFinding[] = []
  for (const [kind, re] of SHAPES) {
    for (const m of text.matchAll(re)) {
      const v = m[0]
      const decoded = v.replace(/%3D/g, '=')
      if (isKnownFake(v) || isKnownFake(decoded)) continue
      found.push({ kind, value: `${v.slice(0, 4)}…(${v.length} chars)`, line: text.slice(0, m.index).split('\n').length })
    }
  }
  return found
}
