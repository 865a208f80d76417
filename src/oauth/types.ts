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

export type CheckStatus = 'pass' | 'warn' | 'skip'

/** One verified property of a response, printed by the CLI and attached to reports. */
export interface Check {
  readonly name: string
  readonly status: CheckStatus
  readonly detail: string
}
