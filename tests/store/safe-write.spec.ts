/** The safe file writer (src/store/atomic.ts): modes whatever the umask, no symlink followed, names confined. */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { assertDistinctOutputs, fileInDir, makeOutputDir, writeFileAtomic } from '../../src/store/atomic.js'

const mode = (p: string) => statSync(p).mode & 0o777

function freshDir(): string {
  const base = test.info().outputPath()
  mkdirSync(base, { recursive: true })
  return mkdtempSync(join(base, 'w-'))
}

/** Run with the process umask set to 000 (restored after): what a careless shell profile does. */
async function underUmask0<T>(fn: () => Promise<T>): Promise<T> {
  const old = process.umask(0)
  try {
    return await fn()
  } finally {
    process.umask(old)
  }
}

test('under umask 000: files 0600, every directory it creates 0700, an existing file narrowed on rewrite', async () => {
  const dir = freshDir()
  await underUmask0(async () => {
    await makeOutputDir(join(dir, 'a', 'b', 'c'), '--record')
    await writeFileAtomic(join(dir, 'a', 'b', 'c', 'f.json'), '{}')
    writeFileSync(join(dir, 'wide.json'), 'old', { mode: 0o666 })
    await writeFileAtomic(join(dir, 'wide.json'), Buffer.from('new'))
  })
  expect([mode(join(dir, 'a')), mode(join(dir, 'a', 'b')), mode(join(dir, 'a', 'b', 'c'))]).toEqual([0o700, 0o700, 0o700])
  expect(mode(join(dir, 'a', 'b', 'c', 'f.json'))).toBe(0o600)
  expect([mode(join(dir, 'wide.json')), readFileSync(join(dir, 'wide.json'), 'utf8')]).toEqual([0o600, 'new'])
})

test('an existing directory keeps its mode (it is the user\'s)', async () => {
  const dir = freshDir()
  mkdirSync(join(dir, 'mine'))
  chmodSync(join(dir, 'mine'), 0o750)
  await makeOutputDir(join(dir, 'mine'), '--out')
  expect(mode(join(dir, 'mine'))).toBe(0o750)
})

test('a symlink at the path is refused (OUTPUT_SYMLINK): its target is untouched, no temp file left', async () => {
  const dir = freshDir()
  writeFileSync(join(dir, 'victim'), 'untouched')
  symlinkSync(join(dir, 'victim'), join(dir, 'out.json'))
  await expect(writeFileAtomic(join(dir, 'out.json'), 'evil')).rejects.toMatchObject({ code: 'OUTPUT_SYMLINK', exitCode: 2 })
  expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe('untouched')
  expect(readdirSync(dir).sort()).toEqual(['out.json', 'victim'])
  await expect(makeOutputDir(join(dir, 'out.json'), '--record')).rejects.toMatchObject({ code: 'OUTPUT_SYMLINK' })
})

test('names are confined to their directory', () => {
  for (const bad of ['../x', 'a/b', '..', '.', '', 'a\\b', 'x\0y']) {
    expect(() => fileInDir('/out', bad, '--name'), bad).toThrow(expect.objectContaining({ code: 'USAGE_INVALID' }))
  }
  expect(fileInDir('/out', 'web-server-flow.json', '--name')).toBe(join('/out', 'web-server-flow.json'))
})

test('outputs that name one file through a symlinked directory or ../ collide', async () => {
  const dir = freshDir()
  mkdirSync(join(dir, 'real'))
  symlinkSync(join(dir, 'real'), join(dir, 'alias'))
  await expect(assertDistinctOutputs([{ flag: '--save', path: join(dir, 'real', 't.json') }, { flag: '--postman', path: join(dir, 'alias', 't.json') }])).rejects.toMatchObject({ code: 'OUTPUT_COLLISION', exitCode: 2 })
  await expect(assertDistinctOutputs([{ flag: '--save', path: join(dir, 'real', 't.json') }, { flag: '--postman', path: join(dir, 'real', 'p.json') }, { flag: '--sfdx-url', path: undefined }])).resolves.toBeUndefined()
})
