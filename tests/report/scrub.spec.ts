import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { Redactor } from '../../src/redact.js'
import { scrubTree } from '../../src/report/scrub.js'
import { readZip, writeZip } from '../../src/report/zip.js'

test('zip round trip keeps names and bytes', () => {
  const entries = [
    { name: 'trace.trace', data: Buffer.from('{"type":"action","params":{"value":"x"}}\n') },
    { name: 'resources/abc.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]) },
    { name: 'ünicode.txt', data: Buffer.alloc(0) },
  ]
  const back = readZip(writeZip(entries))
  expect(back.map((e) => e.name)).toEqual(entries.map((e) => e.name))
  back.forEach((e, i) => expect(e.data.equals(entries[i]?.data ?? Buffer.alloc(1))).toBe(true))
})

test('scrubTree redacts text files and text entries of zips, and leaves binary entries alone', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'scrub-'))
  const r = new Redactor()
  r.add('Secret-Password-1')
  await writeFile(join(dir, 'out.txt'), 'login pw=Secret-Password-1 done')
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0])
  await writeFile(join(dir, 'trace.zip'), writeZip([
    { name: 'trace.network', data: Buffer.from('{"postData":"username=u&pw=Secret-Password-1"}') },
    { name: 'resources/x.png', data: png },
  ]))
  await writeFile(join(dir, 'clean.txt'), 'nothing here')
  expect(await scrubTree(dir, r)).toBe(2)
  expect(await readFile(join(dir, 'out.txt'), 'utf8')).not.toContain('Secret-Password-1')
  const entries = readZip(await readFile(join(dir, 'trace.zip')))
  expect(entries[0]?.data.toString()).not.toContain('Secret-Password-1')
  expect(entries[0]?.data.toString()).toContain('pw=')
  expect(entries[1]?.data.equals(png)).toBe(true)
  expect(await readFile(join(dir, 'clean.txt'), 'utf8')).toBe('nothing here')
})
