/**
 * A per-file lock for processes on one host: `<path>.lock`, a regular file naming its holder as
 * `<pid>@<host>#<nonce>` (the nonce is fresh for every acquisition, so it names one lock instance).
 *
 * Why not proper-lockfile: its stale takeover is stat → rmdir → mkdir, so two runs that both judged the
 * same lock stale can each remove what is there and create their own: the second rmdir removes the
 * first run's brand-new lock, and both hold it (its mtime check notices only at the next update tick,
 * after the work is done). That is the defect this module replaces.
 *
 * Protocol
 * - acquire: write the holder line to a temp file, then link(2) it to `<path>.lock`. link fails with
 *   EEXIST when the name exists, so creation is atomic and the file is complete from its first instant.
 * - release: the holder unlinks its own lock.
 * - stale: the holder ran on this host and its pid is gone (kill(pid, 0) says ESRCH). A lock of another
 *   host is never taken over (its pid cannot be checked): the run waits, then fails with STORE_LOCKED.
 *   A lock whose text is not a holder line (an old version's empty file) is stale after 5 s.
 * - takeover of a stale instance X: acquire the marker `<path>.lock.break-<X>` by the same protocol;
 *   holding it, read the lock again and unlink it only if it is still X; then unlink the marker and
 *   compete for the lock like anyone else. A stale marker (its breaker was killed) is taken over the
 *   same way, one level down.
 *
 * Proof of a single owner. Claim: a lock instance is removed only by its holder (release) or, once its
 * holder is dead, by the one process holding its marker. (1) A live holder is never judged dead:
 * kill(pid, 0) succeeds or fails with EPERM for a live process, and a dead process never releases.
 * (2) Markers are exclusive by the same link(2) argument, and the marker of X is held by at most one
 * process at a time. (3) A breaker holding X's marker unlinks the lock only after reading X there; until
 * it unlinks, nobody else can remove X (the holder is dead; any other breaker of X would need the marker,
 * by (2)), so the name still holds X when it unlinks, never a newer lock. A later holder of X's marker
 * reads another instance (nonces are never reused) and removes nothing. Hence the lock name is emptied
 * only when its instance's holder released it or is dead, and link(2) lets exactly one process fill it:
 * no two live processes hold the lock at once. Tested with many processes started together on a stale
 * lock (tests/store/file-lock.spec.ts).
 * Old versions wrote `<pid>@<host>` to the same `<path>.lock`: such a file is read as a holder too (its
 * instance is named by its inode), so an old run's stale lock is taken over at once, not left to wedge.
 */
import { randomBytes } from 'node:crypto'
import { constants, link, open, unlink } from 'node:fs/promises'
import { hostname } from 'node:os'
import { dirname } from 'node:path'
import { InfraError, UsageError } from '../errors.js'
import { O_NOFOLLOW } from './atomic.js'

/** A lock whose text is no holder line (an old version between create and write) is stale after this. */
const UNREADABLE_STALE_MS = 5_000
/** Markers of markers: a breaker killed inside its few system calls, repeatedly; beyond this, wait. */
const MAX_BREAK_DEPTH = 4

interface Holder {
  /** Names this lock instance: the nonce, or for a line without one the inode. */
  readonly key: string
  readonly pid: number | undefined
  readonly host: string | undefined
  readonly text: string
  readonly ageMs: number
}

const HOLDER = /^(\d+)@([^#\s\p{Cc}]*)(?:#([0-9a-f]{24}))?\s*$/u

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function notALock(path: string, what: string): InfraError {
  return new InfraError('STORE_LOCK_INVALID', `${path} is ${what}, not a lock written by sf-oauth: remove it if no sf-oauth run is using this file`)
}

/** The holder of the lock at `path`, or undefined when there is none. Never follows a symlink. */
async function readHolder(path: string): Promise<Holder | undefined> {
  let text: string
  let ino: number
  let mtimeMs: number
  try {
    const h = await open(path, constants.O_RDONLY | O_NOFOLLOW)
    try {
      const s = await h.stat()
      if (!s.isFile()) throw notALock(path, s.isDirectory() ? 'a directory' : 'not a regular file')
      ino = s.ino
      mtimeMs = s.mtimeMs
      text = await h.readFile('utf8')
    } finally {
      await h.close()
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return undefined
    if (code === 'ELOOP') throw notALock(path, 'a symbolic link')
    if (code === 'EISDIR') throw notALock(path, 'a directory')
    throw err
  }
  const m = HOLDER.exec(text)
  return {
    key: m?.[3] ?? `i${ino}`,
    pid: m === null ? undefined : Number(m[1]),
    host: m?.[2],
    text: text.trim(),
    ageMs: Date.now() - mtimeMs,
  }
}

function isStale(h: Holder): boolean {
  if (h.pid === undefined) return h.ageMs > UNREADABLE_STALE_MS
  return h.host === hostname() && !alive(h.pid)
}

/** Create `path` holding `text` if it does not exist: true when this call created it. */
async function tryCreate(path: string, text: string): Promise<boolean> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  let h
  try {
    h = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o600)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new UsageError(`${path}: the directory ${dirname(path)} does not exist: check the path (sf-oauth flow --save FILE writes a token file)`)
    }
    throw err
  }
  try {
    try {
      await h.writeFile(text)
    } finally {
      await h.close()
    }
    await link(tmp, path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    await unlink(tmp).catch(() => undefined)
  }
}

async function unlinkIfPresent(path: string): Promise<void> {
  await unlink(path).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  })
}

/**
 * Remove the stale instance `stale` of the lock at `path`, if this process wins its marker.
 * Returns false when another live process is busy breaking it (the caller then waits a poll).
 */
async function breakStale(path: string, stale: Holder, me: string, depth: number): Promise<boolean> {
  const marker = `${path}.break-${stale.key}`
  if (!(await tryCreate(marker, me))) {
    const breaker = await readHolder(marker)
    if (breaker === undefined) return true
    if (depth < MAX_BREAK_DEPTH && isStale(breaker)) return breakStale(marker, breaker, me, depth + 1)
    return false
  }
  try {
    const now = await readHolder(path)
    if (now?.key === stale.key) await unlinkIfPresent(path)
  } finally {
    await unlinkIfPresent(marker)
  }
  return true
}

/**
 * Run `fn` holding `<path>.lock`. Waits (polling, bounded by timeoutMs) while another live process holds
 * it; takes over at once a lock whose process on this host is gone. STORE_LOCKED (exit 3) on time-out.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, opts: { timeoutMs: number; pollMs?: number }): Promise<T> {
  const lock = `${path}.lock`
  const deadline = Date.now() + opts.timeoutMs
  const me = `${process.pid}@${hostname()}#${randomBytes(12).toString('hex')}`
  for (;;) {
    if (await tryCreate(lock, me)) break
    const holder = await readHolder(lock)
    if (holder === undefined) continue
    if (isStale(holder) && (await breakStale(lock, holder, me, 0))) continue
    if (Date.now() > deadline) {
      const who = holder.pid === undefined ? 'an unknown run' : `process ${holder.pid} on ${holder.host ?? '?'}`
      throw new InfraError('STORE_LOCKED', `${lock} is held by ${who} for over ${opts.timeoutMs} ms: wait for that run, or delete ${lock} if no run is active`)
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 50))
  }
  try {
    return await fn()
  } finally {
    // Ours by the proof above; checked anyway, so a bug elsewhere cannot make us delete another's lock.
    if ((await readHolder(lock).catch(() => undefined))?.text === me) await unlinkIfPresent(lock)
  }
}
