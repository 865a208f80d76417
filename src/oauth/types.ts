/** What the HTTP layer hands to the pure processors: no streams, no sockets. */
export interface RawResponse {
  readonly status: number
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly url: string
}

/** A validated Salesforce token response. Values are kept as Salesforce sends them (strings). */
export interface TokenSet {
  readonly accessToken: string
  readonly refreshToken: string | undefined
  readonly signature: string
  readonly scope: string
  readonly idToken: string | undefined
  readonly instanceUrl: string
  readonly id: string
  readonly tokenType: string
  /** Epoch milliseconds, as a string (docs/salesforce-oauth.md §2.2). */
  readonly issuedAt: string
  readonly orgId: string
  readonly userId: string
}

/** A check's outcome: passed, passed with a warning, or not applicable (a failed check throws instead). */
export type CheckStatus = 'pass' | 'warn' | 'skip'

/** One verified property of a response, printed by the CLI and attached to reports. */
export interface Check {
  readonly name: string
  readonly status: CheckStatus
  readonly detail: string
}

/**
 * Where a process function reports each secret it reads from an answer (tokens), as soon as it reads
 * it, so a later failure cannot leave one unregistered. The caller chooses the sink (the CLI and the
 * flow pass the process-wide redactor); src/oauth itself writes to no global.
 */
export interface SecretSink {
  add(value: string | undefined): void
}
