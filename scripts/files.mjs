// @ts-check
/** Every regular file below the given directories (missing ones are skipped), for the scan scripts. */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** @param {readonly string[]} dirs @returns {string[]} */
export function filesUnder(dirs) {
  const out = []
  for (const dir of dirs) {
    if (!existsSync(dir)) continue
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath, e.name))
  }
  return out
}
