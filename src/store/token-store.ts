/**
 * Saved token sets: one JSON file per target, mode 0600, written atomically. A per-file lock makes
 * concurrent runs take turns, so two runs that rotate the same refresh token end with the newest one
 * stored and none lost. A lock left by a killed run is taken over (its pid is gone), by exactly one run.
 */
import { writeFileAtomic } from './atomic.js'

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

/** Reading is validation: src/store/token-file.ts (permissions, shape, URLs, host). */
export { readTokenFile } from './token-file.js'

export async function writeTokenFile(path: string, set: StoredTokenSet): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(set, null, 2)}\n`, 0o600)
}

/** The lock (`<path>.lock`, atomic takeover of a killed run's lock): see file-lock.ts for the protocol and its proof. */
export { withFileLock } from './file-lock.js'
