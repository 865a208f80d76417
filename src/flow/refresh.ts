/**
 * Refresh a saved token set, rotation-aware: under the file lock, read the newest stored refresh token,
 * send the refresh grant once, and persist a returned (rotated) refresh token before anything else is done
 * with the answer, then validate it. docs/salesforce-oauth.md §3.3: with Refresh Token Rotation the old token dies.
 */
import type { Http } from '../http/client.js'
import { requestRefresh } from '../http/oauth.js'
import { endpointsFor } from '../oauth/endpoints.js'
import { refreshBody } from '../oauth/token-request.js'
import { processTokenResponse, type ProcessedTokens } from '../oauth/token-response.js'
import { redactor } from '../redact.js'
import { readTokenFile, withFileLock, writeTokenFile, type StoredTokenSet } from '../store/token-store.js'
import { type LoginUrlExpectation, tokenFileWarnings } from '../store/token-file.js'
import { ResponseValidationError } from '../errors.js'

export interface RefreshOutcome extends ProcessedTokens {
  readonly rotated: boolean
  readonly stored: StoredTokenSet
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
export async function refreshSaved(file: string, opts: { http: Http; clientSecret: string | undefined; timeoutMs: number; expect?: LoginUrlExpectation | undefined }): Promise<RefreshOutcome> {
  return withFileLock(file, async () => {
    const saved = await readTokenFile(file, { expect: opts.expect })
    redactor.add(saved.accessToken)
    redactor.add(saved.refreshToken)
    if (saved.refreshToken === null) {
      throw new ResponseValidationError('REFRESH_TOKEN_MISSING', `${file} has no refresh token: the Connected App lacks the refresh_token/offline_access scope, or SF_SCOPE leaves it out; run the flow again`)
    }
    const res = await requestRefresh(opts.http, endpointsFor(saved.loginUrl), refreshBody(saved.refreshToken, { clientId: saved.clientId, clientSecret: opts.clientSecret }))
    let stored = saved
    const rotated = res.status === 200 ? rotatedToken(res.body) : undefined
    if (rotated !== undefined && rotated !== saved.refreshToken) {
      redactor.add(rotated)
      // Persist first: if anything below throws or the process dies, the newest token is on disk.
      stored = { ...saved, refreshToken: rotated, savedAt: new Date().toISOString() }
      await writeTokenFile(file, stored)
    }
    const processed = processTokenResponse(res, { clientSecret: opts.clientSecret, expectRefreshToken: false, grant: 'refresh_token' })
    stored = { ...stored, accessToken: processed.tokens.accessToken, issuedAt: processed.tokens.issuedAt, instanceUrl: processed.tokens.instanceUrl, scope: processed.tokens.scope, savedAt: new Date().toISOString() }
    await writeTokenFile(file, stored)
    const warnings = [...new Set([...tokenFileWarnings(saved).map((w) => `${file}: saved ${w}`), ...processed.checks.filter((c) => c.status === 'warn' && c.name === 'instance_url').map((c) => c.detail)])]
    return { ...processed, rotated: rotated !== undefined, stored, warnings: warnings.map((message) => ({ code: 'INSTANCE_URL_NOT_SALESFORCE', message })) }
  }, { timeoutMs: Math.max(opts.timeoutMs * 2, 10_000) })
}
