/**
 * The library's one-call forms of the token operations: each makes its own HTTP client (closed after)
 * unless handed one, and registers every secret it reads with the process's redactor.
 */
import { revoke as revokeOperation, type OperationContext } from '../client/operations.js'
import { DEFAULT_TIMEOUT_MS } from '../config.js'
import { refreshSaved as refreshSavedFile, type RefreshOutcome } from '../flow/refresh.js'
import { createHttp, type Http } from '../http/client.js'
import { redactor } from '../redact.js'

export type { RefreshOutcome } from '../flow/refresh.js'

/** An {@link OperationContext} with its own HTTP client: `close()` it when done. */
export interface OwnedOperationContext extends OperationContext {
  close(): Promise<void>
}

/**
 * A context for the operations (`exchangeCode`, `refresh`, `userinfo`, ...): one HTTP client (time limit
 * `timeoutMs`, proxies from HTTPS_PROXY/NO_PROXY, retries only of what certainly was not processed) and
 * the process's redactor as the sink of every secret an answer holds.
 */
export function createOperationContext(options: { readonly timeoutMs?: number } = {}): OwnedOperationContext {
  const http = createHttp({ timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS })
  return { http, secrets: redactor, close: () => http.close() }
}

async function withHttp<T>(http: Http | undefined, timeoutMs: number | undefined, fn: (http: Http) => Promise<T>): Promise<T> {
  if (http !== undefined) return fn(http)
  const own = createHttp({ timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS })
  try {
    return await fn(own)
  } finally {
    await own.close()
  }
}

/** Options of {@link refreshSaved}. */
export interface RefreshSavedOptions {
  /** The Connected App's consumer secret, when the app requires it (Salesforce then verifies the signature). */
  readonly clientSecret?: string | undefined
  /** The login URL the file must come from (e.g. SF_LOGIN_URL): nothing is sent when it names another host. */
  readonly loginUrl?: string
  /** Time limit of the request and of the wait for the file's lock (default 30 s). */
  readonly timeoutMs?: number
  /** An HTTP client to use (default: one of its own, closed after). */
  readonly http?: Http
}

/**
 * Refresh a token file written by `sf-oauth flow --save` (or `check`), rotation-aware: under the file's
 * lock, send the refresh grant once and write a rotated refresh token back **before** validating the
 * rest of the answer (Salesforce: "OAuth 2.0 Refresh Token Flow", Refresh Token Rotation).
 *
 * @throws `TOKEN_FILE_INVALID`, `TOKEN_FILE_HOST_MISMATCH` when the file is bad or from another host;
 *   `REFRESH_TOKEN_MISSING`; `TOKEN_INVALID_GRANT` and the other token-endpoint codes when Salesforce refuses;
 *   `STORE_LOCKED` when another run holds the lock; `NETWORK_*` codes (exit 3).
 */
export function refreshSaved(file: string, options: RefreshSavedOptions = {}): Promise<RefreshOutcome> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  redactor.add(options.clientSecret)
  return withHttp(options.http, timeoutMs, (http) => refreshSavedFile(file, {
    http,
    clientSecret: options.clientSecret,
    timeoutMs,
    expect: options.loginUrl === undefined ? undefined : { loginUrl: options.loginUrl, from: 'the loginUrl option' },
  }))
}

/** Options of {@link revoke}. */
export interface RevokeOptions {
  readonly timeoutMs?: number
  readonly http?: Http
}

/**
 * Revoke a refresh or access token at its login host (Salesforce: "Revoke OAuth Tokens"; RFC 7009).
 * Revoking a refresh token also ends the access tokens issued with it.
 *
 * @throws `REVOKE_INVALID_TOKEN` when Salesforce does not know the token; `NETWORK_*` codes.
 */
export function revoke(loginUrl: string, token: string, options: RevokeOptions = {}): Promise<void> {
  redactor.add(token)
  return withHttp(options.http, options.timeoutMs, (http) => revokeOperation({ http, secrets: redactor }, loginUrl, token))
}
