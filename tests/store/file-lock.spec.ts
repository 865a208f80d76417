/**
 * The token-file lock (src/store/file-lock.ts). The main test: 8 real processes released together on a
 * stale lock (a killed run's), 20 times over; every process records its entry and exit, and in every
 * trial the log must show one owner at a time (the old read-pid/delete/create takeover had several).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { withFileLock } from '../../src/store/file-lock.js'

const WORKER = fileURLToPath(new URL('../support/lock-worker.mjs', import.meta.url))
const CONTENDERS = 8
const TRIALS = 20

/** A fresh directory under the test's output directory. */
function freshDir(): string {
  const base = test.info().outputPath()
  mkdirSync(base, { recursive: true })
  return mkdtempSync(join(base, 'lock-'))
}

/** The pid of a process that has exited: what a killed run leaves in its lock. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((r) => child.once('exit', r))
  return child.pid ?? 0
}

/** Each child's stdout as a queue of lines. */
function lineReader(child: ChildProcess): () => Promise<string> {
  const lines: string[] = []
  const waiting: ((l: string) => void)[] = []
  let buf = ''
  child.stdout?.on('data', (c: Buffer) => {
    buf += c.toString()
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i)
      buf = buf.slice(i + 1)
      const w = waiting.shift()
      if (w) w(line)
      else lines.push(line)
    }
  })
  return () => {
    const l = lines.shift()
    return l !== undefined ? Promise.resolve(l) : new Promise((r) => waiting.push(r))
  }
}

/** The owners' log checked: entries and exits alternate, same process, nobody found another inside. */
function overlaps(log: string[]): number {
  let bad = 0
  for (let i = 0; i < log.length; i += 2) {
    const enter = log[i] ?? ''
    const exit = log[i + 1] ?? ''
    if (!enter.startsWith('+') || exit !== `-${enter.slice(1)}`) bad++
  }
  return bad + log.filter((l) => l.startsWith('!')).length
}

test('8 processes released together on a stale lock: one owner at a time in each of 20 trials', async () => {
  test.setTimeout(120_000)
  const children = Array.from({ length: CONTENDERS }, (_, i) => spawn(process.execPath, [WORKER, `p${i}`], { stdio: ['pipe', 'pipe', 'inherit'] }))
  const next = children.map(lineReader)
  try {
    expect(await Promise.all(next.map((n) => n()))).toEqual(Array(CONTENDERS).fill('ready'))
    const dead = await deadPid()
    const results: { trial: number; format: string; overlaps: number; done: number }[] = []
    for (let trial = 0; trial < TRIALS; trial++) {
      const dir = freshDir()
      const file = join(dir, 'tokens.json')
      const log = join(dir, 'owners.log')
      writeFileSync(log, '')
      // Half the trials in today's format, half in the old version's (`pid@host`, no nonce).
      const format = trial % 2 === 0 ? 'current' : 'old'
      writeFileSync(`${file}.lock`, format === 'current' ? `${dead}@${hostname()}#${randomBytes(12).toString('hex')}` : `${dead}@${hostname()}`)
      for (const c of children) c.stdin.write(`go ${file} ${log}\n`)
      const answers = await Promise.all(next.map((n) => n()))
      const lines = readFileSync(log, 'utf8').split('\n').filter((l) => l !== '')
      results.push({ trial, format, overlaps: overlaps(lines), done: answers.filter((a) => a === 'done').length })
      expect(answers, `trial ${trial}`).toEqual(Array(CONTENDERS).fill('done'))
      expect(lines, `trial ${trial}`).toHaveLength(2 * CONTENDERS)
      // Nothing left behind: no lock, no takeover marker, no temp file.
      expect(readdirSync(dir).sort(), `trial ${trial}`).toEqual(['owners.log'])
    }
    await test.info().attach('trials.json', { body: JSON.stringify(results, null, 2), contentType: 'application/json' })
    expect(results.filter((r) => r.overlaps > 0)).toEqual([])
  } finally {
    for (const c of children) c.kill()
  }
})

test('a lock held by a live process is waited for, then STORE_LOCKED; released, it is free at once', async () => {
  const file = join(freshDir(), 'tokens.json')
  let release = () => undefined as unknown
  const held = withFileLock(file, () => new Promise((r) => (release = () => r('first'))), { timeoutMs: 1_000 })
  await expect.poll(() => existsSync(`${file}.lock`)).toBe(true)
  await expect(withFileLock(file, () => Promise.resolve('second'), { timeoutMs: 200, pollMs: 10 })).rejects.toMatchObject({ code: 'STORE_LOCKED', exitCode: 3 })
  release()
  expect(await held).toBe('first')
  expect(existsSync(`${file}.lock`)).toBe(false)
  expect(await withFileLock(file, () => Promise.resolve('third'), { timeoutMs: 200 })).toBe('third')
})

test("another host's lock is never taken over (its pid cannot be checked)", async () => {
  const file = join(freshDir(), 'tokens.json')
  writeFileSync(`${file}.lock`, `${await deadPid()}@some-other-host#${randomBytes(12).toString('hex')}`)
  const err = await withFileLock(file, () => Promise.resolve('ran'), { timeoutMs: 100, pollMs: 10 }).catch((e: unknown) => e)
  expect(err).toMatchObject({ code: 'STORE_LOCKED' })
  expect((err as Error).message).toContain('on some-other-host')
})

test("the old version's stale lock file (pid@host, no nonce) is taken over at once", async () => {
  const file = join(freshDir(), 'tokens.json')
  writeFileSync(`${file}.lock`, `${await deadPid()}@${hostname()}`)
  expect(await withFileLock(file, () => Promise.resolve('ran'), { timeoutMs: 100_000 })).toBe('ran')
  expect(existsSync(`${file}.lock`)).toBe(false)
})

test('a symlink or a directory at the lock path is refused with STORE_LOCK_INVALID, nothing followed', async () => {
  const dir = freshDir()
  writeFileSync(join(dir, 'elsewhere'), 'untouched')
  symlinkSync(join(dir, 'elsewhere'), join(dir, 'a.json.lock'))
  await expect(withFileLock(join(dir, 'a.json'), () => Promise.resolve('ran'), { timeoutMs: 100 })).rejects.toMatchObject({ code: 'STORE_LOCK_INVALID', exitCode: 3 })
  expect(readFileSync(join(dir, 'elsewhere'), 'utf8')).toBe('untouched')
  mkdirSync(join(dir, 'b.json.lock'))
  await expect(withFileLock(join(dir, 'b.json'), () => Promise.resolve('ran'), { timeoutMs: 100 })).rejects.toMatchObject({ code: 'STORE_LOCK_INVALID' })
})

test('a file in a missing directory: USAGE_INVALID naming the directory, not a raw ENOENT', async () => {
  const dir = join(freshDir(), 'no', 'such')
  await expect(withFileLock(join(dir, 'tokens.json'), () => Promise.resolve('ran'), { timeoutMs: 100 })).rejects.toMatchObject({ code: 'USAGE_INVALID', message: expect.stringContaining(`the directory ${dir} does not exist`) })
})
