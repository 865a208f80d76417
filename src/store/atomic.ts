/**
 * The one way the tool writes a file (token sets, browser state, transcripts, screenshots, fixtures,
 * JUnit, sfdx/Postman files). Rules, whatever the umask or what sits at the path:
 * - readers see the old content or the new, never half: a temp file in the same directory, fsync, rename;
 * - never through a symlink: a symlink at the final path is refused (OUTPUT_SYMLINK), and the temp file
 *   is opened O_CREAT|O_EXCL|O_NOFOLLOW, so nothing planted can redirect the write (rename(2) replaces
 *   a link itself, never its target, should one appear between the check and the rename);
 * - files 0600 and directories it creates 0700, set with an explicit chmod (the umask cannot widen them);
 * - a name given for a file inside an output directory stays inside it.
 * Every output path is also checked before a run starts (assertWritableTarget, assertOutputDir,
 * assertDistinctOutputs), so a flow is not run for a file that cannot be written.
 */
import { randomBytes } from 'node:crypto'
import { access, chmod, constants, lstat, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { HarnessError, UsageError } from '../errors.js'

export const FILE_MODE = 0o600
export const DIR_MODE = 0o700

/** O_NOFOLLOW is POSIX; where it does not exist (Windows) the lstat checks still refuse a link. */
export const O_NOFOLLOW = (constants as Partial<typeof constants>).O_NOFOLLOW ?? 0
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW

/** A path that is a symlink: refused rather than followed or replaced (exit 2, registry). */
export class OutputSymlinkError extends HarnessError {
  constructor(path: string, what: string) {
    super('OUTPUT_SYMLINK', `${what} ${path} is a symbolic link: sf-oauth never writes through one; remove the link or choose another path`)
  }
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/**
 * Write `data` to `path` atomically, mode `mode` (0600 unless a caller has a reason), never following a
 * symlink. The directory must exist.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = FILE_MODE): Promise<void> {
  if ((await lstatOrUndefined(path))?.isSymbolicLink()) throw new OutputSymlinkError(path, 'output file')
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(tmp, CREATE_FLAGS, mode)
  try {
    try {
      // Explicit: open's mode is narrowed by the umask, and a umask of 000 must not widen it either.
      await handle.chmod(mode)
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
  await syncDir(dirname(path))
}

/** The rename is durable once the directory entry is on disk (best effort: not every platform allows it). */
async function syncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, constants.O_RDONLY)
    try {
      await h.sync()
    } finally {
      await h.close()
    }
  } catch {
    // A directory that cannot be opened or synced (Windows) still has the renamed file.
  }
}

/** A file an output directory will get must not be a symlink already (checked before a run). */
export async function assertNoLinkAt(path: string, flag: string): Promise<void> {
  const s = await lstat(path).catch(() => undefined)
  if (s?.isSymbolicLink()) throw new OutputSymlinkError(path, flag)
  if (s !== undefined && !s.isFile()) throw new UsageError(`${flag}: ${path} exists and is not a regular file: remove it or choose another directory`)
}

/** Check up front that a file can be written there, so a flow is not run for nothing. */
export async function assertWritableTarget(path: string, flag: string): Promise<void> {
  if (path.trim() === '') throw new UsageError(`${flag} is empty: give a file path`)
  const dir = dirname(path)
  const s = await lstat(path).catch(() => undefined)
  if (s?.isSymbolicLink()) throw new OutputSymlinkError(path, flag)
  if (s?.isDirectory()) throw new UsageError(`${flag} ${path} is a directory: give a file name`)
  if (s !== undefined && !s.isFile()) throw new UsageError(`${flag} ${path} is not a regular file: choose another path`)
  try {
    const d = await stat(dir)
    if (!d.isDirectory()) throw new Error('not a directory')
    await access(dir, constants.W_OK)
  } catch {
    throw new UsageError(`${flag} ${path}: the directory ${dir} does not exist or is not writable: create it or choose another path`)
  }
}

/**
 * Check an output directory before a run: empty, a symlink, or an existing non-directory are refused.
 * A directory that does not exist yet is fine (makeOutputDir creates it).
 */
export async function assertOutputDir(dir: string, flag: string): Promise<void> {
  if (dir.trim() === '') throw new UsageError(`${flag} is empty: give a directory`)
  const s = await lstatOrUndefined(dir).catch(() => {
    throw new UsageError(`${flag} ${dir} cannot be a directory (a part of the path is a file, or it cannot be read): choose another directory`)
  })
  if (s?.isSymbolicLink()) throw new OutputSymlinkError(dir, flag)
  if (s !== undefined && !s.isDirectory()) throw new UsageError(`${flag} ${dir} exists and is not a directory: give a directory (it is created when missing)`)
  // Missing: the nearest existing ancestor must be a writable directory, or mkdir would fail after the run.
  let existing = resolve(dir)
  while (s === undefined && existing !== dirname(existing) && (await lstatOrUndefined(existing).catch(() => undefined)) === undefined) existing = dirname(existing)
  try {
    if (!(await stat(existing)).isDirectory()) throw new Error('not a directory')
    await access(existing, constants.W_OK)
  } catch {
    throw new UsageError(`${flag} ${dir}: ${existing} is not a writable directory: choose another directory`)
  }
}

/** Create `dir` (and missing parents) mode 0700, whatever the umask; an existing directory is left as it is. */
export async function makeOutputDir(dir: string, flag: string): Promise<void> {
  await assertOutputDir(dir, flag)
  const first = await mkdir(dir, { recursive: true, mode: DIR_MODE })
  if (first === undefined) return
  // mkdir returns the first directory it created; every one from there down is ours to narrow.
  const top = resolve(first)
  for (let d = resolve(dir); ; d = dirname(d)) {
    await chmod(d, DIR_MODE)
    if (d === top || d === dirname(d)) break
  }
}

/** `dir/name` for a name that must stay inside `dir`: one path segment, not `.`/`..`, no separators. */
export function fileInDir(dir: string, name: string, what: string): string {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new UsageError(`${what} "${name}" is not a plain file name: give a name without / \\ or .., it is written inside ${dir}`)
  }
  return join(dir, name)
}

/** Where a path really points, for comparing outputs: its directory's real path and its name. */
async function canonical(path: string): Promise<string> {
  const abs = resolve(path)
  try {
    return join(await realpath(dirname(abs)), basename(abs))
  } catch {
    return abs
  }
}

/**
 * Two outputs (or an input and an output) naming the same file would overwrite one with the other
 * (`refresh --file F --sfdx-url F` replaced the token set with an auth URL): refused up front.
 */
export async function assertDistinctOutputs(paths: ReadonlyArray<{ readonly flag: string; readonly path: string | undefined }>): Promise<void> {
  const seen = new Map<string, string>()
  for (const { flag, path } of paths) {
    if (path === undefined || path === '') continue
    const key = await canonical(path)
    const other = seen.get(key)
    if (other !== undefined) {
      throw new HarnessError('OUTPUT_COLLISION', `${flag} ${path} is the same file as ${other}: one would overwrite the other; give each its own path`)
    }
    seen.set(key, `${flag} ${path}`)
  }
}
