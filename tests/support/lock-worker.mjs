// One contender of tests/store/file-lock.spec.ts: a real process that, on each "go <file> <log>" line on
// stdin, takes the lock on <file>, marks its stay in <log> (+id on entry, -id on exit; ! if it found
// someone inside), and answers "done". The module under test is LOCK_MODULE (default: the built one).
import { appendFileSync, openSync, closeSync, unlinkSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { setImmediate } from 'node:timers/promises'
import { pathToFileURL } from 'node:url'

const modulePath = process.env.LOCK_MODULE ?? new URL('../../dist/store/file-lock.js', import.meta.url).pathname
const { withFileLock } = await import(pathToFileURL(modulePath).href)
const id = process.argv[2] ?? String(process.pid)

const turns = async (n) => {
  for (let i = 0; i < n; i++) await setImmediate()
}

const lines = createInterface({ input: process.stdin })
process.stdout.write('ready\n')
for await (const line of lines) {
  const [cmd, file, log] = line.split(' ')
  if (cmd !== 'go') continue
  try {
    await withFileLock(file, async () => {
      appendFileSync(log, `+${id}\n`)
      let fd
      try {
        fd = openSync(`${file}.inside`, 'wx')
      } catch {
        appendFileSync(log, `!${id}\n`)
      }
      // Stay a while (event-loop turns, not time), so an overlapping owner would be seen.
      await turns(20)
      if (fd !== undefined) {
        closeSync(fd)
        unlinkSync(`${file}.inside`)
      }
      appendFileSync(log, `-${id}\n`)
    }, { timeoutMs: 30_000, pollMs: 5 })
    process.stdout.write('done\n')
  } catch (err) {
    process.stdout.write(`error ${err?.code ?? ''} ${String(err?.message ?? err).split('\n')[0]}\n`)
  }
}
