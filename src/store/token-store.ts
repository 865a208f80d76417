/**
 * Saved token sets: one JSON file per target, mode 0600, written atomically. A per-file lock makes
 * concurrent runs take turns, so two runs that rotate the same refresh token end with the newest one
 * stored and none lost. A lock left by a killed run is taken over (its pid is gone), by exactly one run.
 */
import type { TokenSet } from '../oauth/types.js'
import { writeFileAtomic } from './atomic.js'

/** A token file's content (schemas/token-file.schema.json): the target and the tokens, never the client secret. */
export interface StoredTokenSet {
  readonly version: 1
  readonly loginUrl: string
  readonly clientId: string
  readonly username: string
  readonly instanceUrl: string
  readonly id: string
  readonly orgId: string
  readonly userId: string
  readonly scope: string
  readonly issuedAt: string
  readonly accessToken: string
  readonly refreshToken: string | null
  readonly savedAt: string
}

/**
 * The token set to save after a flow: what `sf-oauth refresh`, `revoke` and `check` need later (the
 * target's login URL, app and user, and the answer's tokens). Never the client secret.
 */
export function savedTokenSet(target: { readonly loginUrl: string; readonly clientId: string; readonly username: string }, tokens: TokenSet): StoredTokenSet {
  return {
    version: 1,
    loginUrl: target.loginUrl,
    clientId: target.clientId,
    username: target.username,
    instanceUrl: tokens.instanceUrl,
    id: tokens.id,
    orgId: tokens.orgId,
    userId: tokens.userId,
    scope: tokens.scope,
    issuedAt: tokens.issuedAt,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? null,
    savedAt: new Date().toISOString(),
  }
}

/** Reading is validation: src/store/token-file.ts (permissions, shape, URLs, host). */
export { readTokenFile } from './token-file.js'

/**
 * Write a token file: mode 0600, atomically (temp file, fsync, rename), never through a symlink.
 *
 * @throws `OUTPUT_SYMLINK` (exit 2) when the path is a symbolic link; the Node error (`ENOENT`, `EACCES`)
 *   when its directory is missing or not writable.
 */
export async function writeTokenFile(path: string, set: StoredTokenSet): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(set, null, 2)}\n`, 0o600)
}

/** The lock (`<path>.lock`, atomic takeover of a killed run's lock): see file-lock.ts for the protocol and its proof. */
export { withFileLock } from './file-lock.js'
