/**
 * Saved token sets: one JSON file per target, mode 0600, written atomically. A per-file lock makes
 * concurrent runs take turns, so two runs that rotate the same refresh token end with the newest one
 * stored and none lost. A lock left by a killed run is taken over (its pid is gone), by exactly one run.
 */
import { readFile } from 'node:fs/promises'
import { UsageError } from '../errors.js'
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

export async function readTokenFile(path: string): Promise<StoredTokenSet> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch {
    throw new UsageError(`token file ${path} cannot be read: run sf-oauth flow --save ${path} first`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new UsageError(`token file ${path} is not JSON: save it again with sf-oauth flow --save ${path}`)
  }
  const d = data as Partial<Record<keyof StoredTokenSet, unknown>>
  const strings = ['loginUrl', 'clientId', 'instanceUrl', 'id', 'accessToken'] as const
  const bad = strings.filter((k) => typeof d[k] !== 'string' || d[k] === '')
  if (d.version !== 1 || bad.length > 0 || !(d.refreshToken === null || typeof d.refreshToken === 'string')) {
    throw new UsageError(`token file ${path} is not a saved token set (${bad.length ? `missing ${bad.join(', ')}` : 'wrong version'}): save it again with sf-oauth flow --save`)
  }
  return data as StoredTokenSet
}

export async function writeTokenFile(path: string, set: StoredTokenSet): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(set, null, 2)}\n`, 0o600)
}

/** The lock (`<path>.lock`, atomic takeover of a killed run's lock): see file-lock.ts for the protocol and its proof. */
export { withFileLock } from './file-lock.js'
