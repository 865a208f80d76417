/**
 * Reading a file that holds secrets and is input (token file, pending file, passkey file): never through a
 * link (O_NOFOLLOW: the file is written back to this path, and the writer never follows a link), never
 * blocking on a FIFO planted there (O_NONBLOCK), its stats judged before a byte is read, and at most
 * `maxBytes` read. Each caller names its own errors and decodes the bytes.
 */
import type { Stats } from 'node:fs'
import { constants, open, type FileHandle } from 'node:fs/promises'

export interface PrivateFileRules {
  readonly maxBytes: number
  /** The open failed: `code` is the errno name; `link` when the path is a symbolic link. */
  refused(code: string | undefined, link: boolean): Error
  /** Throw when the file may not be read: not a regular file, not ours, open to others, too big. */
  judge(stats: Stats): void
  /** More than maxBytes came (the file grew after judge, or it reports no size). */
  tooBig(): Error
}

export async function readPrivateFile(path: string, rules: PrivateFileRules): Promise<Buffer> {
  let handle: FileHandle
  try {
    const flags = constants as Partial<typeof constants> // Windows has neither flag
    handle = await open(path, constants.O_RDONLY | (flags.O_NOFOLLOW ?? 0) | (flags.O_NONBLOCK ?? 0))
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw rules.refused(code, code === 'ELOOP' || code === 'EMLINK')
  }
  try {
    rules.judge(await handle.stat())
    const buf = Buffer.alloc(rules.maxBytes + 1)
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0)
    if (bytesRead > rules.maxBytes) throw rules.tooBig()
    return buf.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}
