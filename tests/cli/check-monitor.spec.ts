/**
 * A nightly-like sequence of `sf-oauth check` runs in process (issue 18's "done when"): three runs over a
 * targets file, target "b" breaking in run 2 (its refresh token revoked at the org) and recovering in
 * run 3 (authorised again). Exactly one alert and one recovery reach a loopback capture server in each of
 * the three payload shapes; the history file validates against its schema and holds no secret.
 */
import { readFileSync } from 'node:fs'
import { expect } from '@playwright/test'
import { emptyDir } from '../support/cli.js'
import { test } from '../support/emulator.js'
import { historyValidator } from '../support/history-schema.js'
import { startCapture, threeNights, type CheckRun } from '../support/nightly.js'

test('three nightly runs: one alert and one recovery per payload shape; history validates; no secret in it', async ({ emulator }) => {
  const dir = emptyDir()
  const capture = await startCapture()
  try {
    const { app } = emulator.app.seed
    const { runs, history, secrets } = await threeNights(emulator, dir, [`${capture.url}/generic`, `teams:${capture.url}/teams`], { SF_NOTIFY_URLS: `slack:${capture.url}/slack` })
    const [run1, run2, run3] = runs as [CheckRun, CheckRun, CheckRun]
    expect(run1.code, run1.stdout + run1.stderr).toBe(0)
    expect(run1.stdout).toMatch(/forecast a +stops working \S+ \(this check counted as a use\); approvals 2 of 5/)
    expect(run1.stdout).not.toContain('notify:')
    expect(run2.code).toBe(1)
    expect(run2.stdout).toMatch(/✗ b +TOKEN_REFRESH_TOKEN_EXPIRED/)
    expect(run2.stdout).toContain('notify: 1 change (alert b), 3 of 3 posts delivered')
    expect(run3.code, run3.stdout).toBe(0)
    expect(run3.stdout).toContain('notify: 1 change (recovery b), 3 of 3 posts delivered')

    // Exactly one alert and one recovery in each shape, in that order.
    const byPath = (p: string) => capture.posts.filter((x) => x.path === p).map((x) => x.body)
    const generic = byPath('/generic') as { event: string; target: string; code: string; fix: string }[]
    expect(generic.map((g) => [g.event, g.target, g.code])).toEqual([['alert', 'b', 'TOKEN_REFRESH_TOKEN_EXPIRED'], ['recovery', 'b', 'TOKEN_REFRESH_TOKEN_EXPIRED']])
    expect(generic[0]?.fix).toMatch(/\w/)
    const slack = byPath('/slack') as { text: string; blocks: { type: string }[] }[]
    expect(slack).toHaveLength(2)
    expect(slack[0]?.text).toMatch(/b failing \(TOKEN_REFRESH_TOKEN_EXPIRED\)/)
    expect(slack[1]?.text).toMatch(/b recovered/)
    expect(slack[0]?.blocks[0]?.type).toBe('section')
    const teams = byPath('/teams') as { type: string; attachments: { contentType: string; content: { type: string; body: { text: string }[] } }[] }[]
    expect(teams.map((t) => t.attachments[0]?.content.body[0]?.text)).toEqual([expect.stringMatching(/b failing/), expect.stringMatching(/b recovered/)])
    expect(teams[0]?.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive')
    for (const p of capture.posts) expect(p.headers['content-type']).toBe('application/json')

    // The history: 6 lines, each valid, b failing only in run 2, and no secret anywhere.
    const text = readFileSync(history, 'utf8')
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { target: string; result: string; runId: string; steps: Record<string, number> })
    const validate = historyValidator()
    for (const l of lines) expect(validate(l)).toEqual([])
    expect(lines.map((l) => `${l.target}:${l.result}`)).toEqual(['a:pass', 'b:pass', 'a:pass', 'b:fail', 'a:pass', 'b:pass'])
    expect(new Set(lines.map((l) => l.runId)).size).toBe(3)
    expect(lines[0]?.steps).toEqual({ refresh: expect.any(Number), verify: expect.any(Number) })
    for (const s of [...secrets, app.clientSecret, capture.url.replace('http://', '')]) expect(text).not.toContain(s)
    for (const out of [run1, run2, run3]) for (const s of [...secrets, app.clientSecret, `${capture.url}/`]) expect(out.stdout + out.stderr).not.toContain(s)
  } finally {
    await capture.close()
  }
})
