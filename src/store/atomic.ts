import { randomBytes } from 'node:crypto'
import { access, chmod, constants, open, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { UsageError } from '../errors.js'

/**
 * Write a file so that readers see the old content or the new, never half: a temp file in the same
 * directory (mode 0600 from its creation), fsync, then rename over the target.
 */
export async function writeFileAtomic(path: string, data: string, mode = 0o600): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(tmp, 'wx', mode)
  try {
    await handle.writeFile(data, 'utf8')
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await chmod(tmp, mode)
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

/** Check up front that a file can be written there, so a flow is not run for nothing. */
export async function assertWritableTarget(path: string, flag: string): Promise<void> {
  const dir = dirname(path)
  try {
    const s = await stat(dir)
    if (!s.isDirectory()) throw new Error('not a directory')
    await access(dir, constants.W_OK)
  } catch {
    throw new UsageError(`${flag} ${path}: the directory ${dir} does not exist or is not writable: create it or choose another path`)
  }
  try {
    if ((await stat(path)).isDirectory()) throw new UsageError(`${flag} ${path} is a directory: give a file name`)
  } catch (err) {
    if (err instanceof UsageError) throw err
  }
}
