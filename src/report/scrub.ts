/**
 * Redacts files a run leaves behind: text files in place, and the text entries inside zip files
 * (Playwright traces). Binary entries (screenshots) are kept: secrets are never drawn on a page
 * (password fields show dots; tokens never reach the browser).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Redactor } from '../redact.js'
import { readZip, writeZip } from './zip.js'

const utf8 = new TextDecoder('utf-8', { fatal: true })
const EMBEDDED_ZIP = /data:application\/zip;base64,([A-Za-z0-9+/=]+)/g

function asText(buf: Buffer): string | undefined {
  if (buf.subarray(0, 8192).includes(0)) return undefined
  try {
    return utf8.decode(buf)
  } catch {
    return undefined
  }
}

/**
 * Every text inside a file as `[where, text]`: zips expanded (recursively) and the HTML report's
 * embedded zip too. For scans that must see what a person opening the artifact would see.
 */
export function* expandTexts(where: string, data: Buffer): Generator<[string, string]> {
  if (data.length >= 4 && data.readUInt32LE(0) === 0x04034b50) {
    for (const e of readZip(data)) yield* expandTexts(`${where}!${e.name}`, e.data)
    return
  }
  const text = data.toString('utf8')
  yield [where, text]
  for (const m of text.matchAll(EMBEDDED_ZIP)) yield* expandTexts(`${where}!embedded`, Buffer.from(m[1] ?? '', 'base64'))
}

/** Returns the redacted buffer, or undefined when nothing changed. */
export function scrubBuffer(buf: Buffer, redactor: Redactor, isZip: boolean): Buffer | undefined {
  if (isZip) {
    const original = readZip(buf)
    const entries = original.map((e) => ({ name: e.name, data: scrubBuffer(e.data, redactor, e.name.endsWith('.zip')) ?? e.data }))
    return entries.some((e, i) => e.data !== original[i]?.data) ? writeZip(entries) : undefined
  }
  const text = asText(buf)
  if (text === undefined) return undefined
  // Playwright's HTML report embeds its data as a base64 zip inside index.html.
  const embedded = text.replace(EMBEDDED_ZIP, (whole, b64: string) => {
    const inner = scrubBuffer(Buffer.from(b64, 'base64'), redactor, true)
    return inner === undefined ? whole : whole.replace(b64, inner.toString('base64'))
  })
  const out = redactor.text(embedded)
  return out === text ? undefined : Buffer.from(out, 'utf8')
}

export const looksLikeZip = (buf: Buffer): boolean => buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50

export async function scrubFile(path: string, redactor: Redactor): Promise<boolean> {
  const buf = await readFile(path)
  const out = scrubBuffer(buf, redactor, looksLikeZip(buf))
  if (out === undefined) return false
  await writeFile(path, out)
  return true
}

/** Scrub every file under a directory; returns the number of files rewritten. */
export async function scrubTree(dir: string, redactor: Redactor): Promise<number> {
  let n = 0
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true })
  } catch {
    return 0
  }
  for (const e of entries) {
    if (!e.isFile()) continue
    if (await scrubFile(join(e.parentPath, e.name), redactor)) n++
  }
  return n
}

/**
 * The same, synchronously: for the test worker's guard, which must finish before the message naming the
 * file leaves the worker (tests/support/scrub.ts). Throws when a zip cannot be read.
 */
export function scrubFileSync(path: string, redactor: Redactor): boolean {
  const buf = readFileSync(path)
  const out = scrubBuffer(buf, redactor, looksLikeZip(buf))
  if (out === undefined) return false
  writeFileSync(path, out)
  return true
}

/** Every file under a directory (none when it does not exist), for scrubFileSync. */
export function filesUnderSync(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
  } catch {
    return []
  }
}
