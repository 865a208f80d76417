/**
 * `sf-oauth replay` on malformed input: one `✗ CODE: …` line on stderr, exit 2, no stack. In process
 * through main() (every case), and once as a real process (what a user sees).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { main } from '../../src/cli/main.js'
import type { Io } from '../../src/cli/output.js'
import { emptyDir, runCli } from '../support/cli.js'

async function replayIn(path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: Io = { stdout: (t) => { stdout += t }, stderr: (t) => { stderr += t } }
  const code = await main(['replay', path], io)
  return { code, stdout, stderr }
}

function transcriptDir(content: string): string {
  const dir = join(emptyDir(), 'rec')
  mkdirSync(dir)
  writeFileSync(join(dir, 'transcript.json'), content)
  return dir
}

const good = { format: 'sf-oauth-transcript/1', recordedAt: '2026-01-01T00:00:00.000Z', loginUrl: 'https://fake-login.example.com', clientId: 'x', expectRefreshToken: true, outcome: { ok: true }, pages: [], screenshots: [] }

const TRANSCRIPTS: Record<string, string> = {
  'not JSON': '{"format":',
  'null': 'null',
  'an exchange that is null': JSON.stringify({ ...good, exchanges: [null] }),
  'a request URL that is not a URL': JSON.stringify({ ...good, exchanges: [{ request: { method: 'POST', url: 'not a url', headers: {} }, attempt: 1, durationMs: 0 }] }),
  'no outcome': JSON.stringify({ ...good, outcome: undefined, exchanges: [] }),
  'a header value nock cannot send': JSON.stringify({ ...good, exchanges: [{ request: { method: 'POST', url: 'https://fake-login.example.com/services/oauth2/token', headers: {} }, response: { status: 200, headers: { 'x-a': 'a\u0100' }, body: '' }, attempt: 1, durationMs: 0 }] }),
}

for (const [name, content] of Object.entries(TRANSCRIPTS)) {
  test(`replay of a transcript with ${name}: one TRANSCRIPT_INVALID line, exit 2, no stack`, async () => {
    const r = await replayIn(transcriptDir(content))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^✗ TRANSCRIPT_INVALID: .*transcript\.json is not a usable sf-oauth-transcript\/1 transcript: .*sf-oauth flow --record DIR\n$/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
}

test('replay of a transcript recording a status outside 200-599 reproduces HTTP_STATUS_INVALID (nock used to crash the process)', async () => {
  const t = { ...good, outcome: { ok: false, code: 'HTTP_STATUS_INVALID' }, exchanges: [{ request: { method: 'POST', url: 'https://fake-login.example.com/services/oauth2/token', headers: {}, body: 'grant_type=authorization_code&code=x' }, response: { status: 999, headers: {}, body: '' }, attempt: 1, durationMs: 1 }] }
  const r = await replayIn(transcriptDir(JSON.stringify(t)))
  expect(r.stdout).toContain('recorded HTTP_STATUS_INVALID, replayed HTTP_STATUS_INVALID: reproduced')
  expect(r.stderr).toMatch(/^✗ HTTP_STATUS_INVALID: [^\n]*\n$/)
  expect(r.code).toBe(1)
})

test('replay of a malformed nock fixture: one NOCK_FIXTURE_INVALID line, exit 2', async () => {
  for (const content of ['[null]', '[{"scope":"https://x.example","method":5,"path":"/"}]', '[{"scope":"https://x.example","method":"GET","path":"/","status":99}]', '{}', '[']) {
    const file = join(emptyDir(), 'fixture.json')
    writeFileSync(file, content)
    const r = await replayIn(file)
    expect(r.code, content).toBe(2)
    expect(r.stderr).toMatch(/^✗ NOCK_FIXTURE_INVALID: [^\n]*sf-oauth record\n$/)
  }
})

test('as a real process: a malformed transcript prints one line and exits 2, without a stack', async () => {
  const cwd = emptyDir()
  mkdirSync(join(cwd, 'rec'))
  writeFileSync(join(cwd, 'rec', 'transcript.json'), JSON.stringify({ ...good, exchanges: [null] }))
  const r = await runCli(['replay', 'rec'], { cwd })
  expect(r.code).toBe(2)
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
  expect(r.stderr).toContain('✗ TRANSCRIPT_INVALID: rec/transcript.json is not a usable sf-oauth-transcript/1 transcript: "exchanges[0]" is not an object')
  expect(r.stdout).toBe('')
})
