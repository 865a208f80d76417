/**
 * Saved token sets: one JSON file per target, mode 0600, written atomically. A per-file lock makes
 * concurrent runs take turns, so two runs that rotate the same refresh token end with the newest one
 * stored and none lost. A lock left by a killed run is taken over (its pid is gone).
 */
import { open, readFile, rm, stat } from 'node:fs/promises'
import { hostname } from 'node:os'
import { InfraError } from '../errors.js'
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Run `fn` holding `<path>.lock`. Waits (polling the lock file, bounded by timeoutMs) while another
 * live process holds it; takes over a lock whose process on this host is gone.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: { timeoutMs: number; pollMs?: number }): Promise<T> {
  const lock = `${path}.lock`
  const deadline = Date.now() + opts.timeoutMs
  const me = `${process.pid}@${hostname()}`
  for (;;) {
    try {
      const h = await open(lock, 'wx', 0o600)
      await h.writeFile(me)
      await h.close()
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const holder = await readFile(lock, 'utf8').catch(() => '')
      const [pid, host] = holder.split('@')
      const stale = host === hostname() && pid !== undefined && /^\d+$/.test(pid) && !alive(Number(pid))
      const abandoned = holder === '' && (await stat(lock).then((s) => Date.now() - s.mtimeMs > 5_000, () => true))
      if (stale || abandoned) {
        await rm(lock, { force: true })
        continue
      }
      if (Date.now() > deadline) {
        throw new InfraError('STORE_LOCKED', `${lock} is held by ${holder || 'another run'} for over ${opts.timeoutMs} ms: wait for that run, or delete the lock if no run is active`)
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 50))
    }
  }
  try {
    return await fn()
  } finally {
    await rm(lock, { force: true })
  }
}
