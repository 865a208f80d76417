/**
 * Refresh a saved token set, rotation-aware: under the file lock, read the newest stored refresh token,
 * send the refresh grant once, and persist a returned (rotated) refresh token before anything else is done
 * with the answer, then validate it. docs/salesforce-oauth.md §3.3: with Refresh Token Rotation the old token dies.
 */
import { refresh, type RefreshResult } from '../client/operations.js'
import type { Http } from '../http/client.js'
import { redactor } from '../redact.js'
import { readTokenFile, withFileLock, writeTokenFile, type StoredTokenSet } from '../store/token-store.js'
import { type LoginUrlExpectation, tokenFileWarnings } from '../store/token-file.js'
import { ResponseValidationError } from '../errors.js'

/** What a refresh of a saved token set did: the new tokens and checks, whether it rotated, the set before, and warnings. */
export interface RefreshOutcome extends RefreshResult {
  readonly rotated: boolean
  readonly stored: StoredTokenSet
  /** The token set as it was read, before this refresh. */
  readonly before: StoredTokenSet
  /** instance_url outside Salesforce's domains (saved or answered): printed, and in --json `warnings`. */
  readonly warnings: readonly { readonly code: 'INSTANCE_URL_NOT_SALESFORCE'; readonly message: string }[]
}

/** Pull `refresh_token` out of an answer without trusting anything else in it yet. */
function rotatedToken(body: string): string | undefined {
  try {
    const data = JSON.parse(body) as { refresh_token?: unknown }
    return typeof data.refresh_token === 'string' && data.refresh_token !== '' ? data.refresh_token : undefined
  } catch {
    return undefined
  }
}

/**
 * `expect`: the login URL the file must come from (SF_LOGIN_URL, or a target's loginUrl). The file is read
 * and held to it before anything is sent: the refresh token and the client secret go only there.
 */
export async function refreshSaved(file: string, opts: { http: Http; clientSecret: string | undefined; timeoutMs: number; expect?: LoginUrlExpectation | undefined; onRotated?: ((stored: StoredTokenSet) => Promise<void>) | undefined }): Promise<RefreshOutcome> {
  return withFileLock(file, async () => {
    const saved = await readTokenFile(file, { expect: opts.expect })
    redactor.add(saved.accessToken)
    redactor.add(saved.refreshToken)
    if (saved.refreshToken === null) {
      throw new ResponseValidationError('REFRESH_TOKEN_MISSING', `${file} has no refresh token: the Connected App lacks the refresh_token/offline_access scope, or SF_SCOPE leaves it out; run the flow again`)
    }
    // Set by onAnswer, between Salesforce's answer and its validation.
    const rotation: { token: string | undefined; stored: StoredTokenSet } = { token: undefined, stored: saved }
    const client = { loginUrl: saved.loginUrl, clientId: saved.clientId, clientSecret: opts.clientSecret }
    const processed = await refresh({ http: opts.http, secrets: redactor }, client, saved.refreshToken, {
      onAnswer: async (res) => {
        const rotated = res.status === 200 ? rotatedToken(res.body) : undefined
        rotation.token = rotated
        if (rotated !== undefined && rotated !== saved.refreshToken) {
          redactor.add(rotated)
          // Persist first: if anything below throws or the process dies, the newest token is on disk.
          rotation.stored = { ...saved, refreshToken: rotated, savedAt: new Date().toISOString() }
          await writeTokenFile(file, rotation.stored)
          // Then wherever else it must be kept (check --write-back github), still before validation.
          await opts.onRotated?.(rotation.stored)
        }
      },
    })
    const stored = { ...rotation.stored, accessToken: processed.tokens.accessToken, issuedAt: processed.tokens.issuedAt, instanceUrl: processed.tokens.instanceUrl, scope: processed.tokens.scope, savedAt: new Date().toISOString() }
    await writeTokenFile(file, stored)
    const warnings = [...new Set([...tokenFileWarnings(saved).map((w) => `${file}: saved ${w}`), ...processed.checks.filter((c) => c.status === 'warn' && c.name === 'instance_url').map((c) => c.detail)])]
    return { ...processed, rotated: rotation.token !== undefined, stored, before: saved, warnings: warnings.map((message) => ({ code: 'INSTANCE_URL_NOT_SALESFORCE', message })) }
  }, { timeoutMs: Math.max(opts.timeoutMs * 2, 10_000) })
}
