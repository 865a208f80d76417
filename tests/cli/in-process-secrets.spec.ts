/**
 * Commands run in the test worker (tests/support/cli-main.ts), so what they register with the one
 * redactor is what this worker's scrub guard (tests/support/scrub.ts) masks on its way to reporters.
 * The tokens here are issued by an emulator the command starts itself (no SF_LOGIN_URL): no fixture
 * registers them, so only the harness's own registration can mask them.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { SECRET_CHANNEL } from '../../src/redact.js'
import { guardWorker } from '../support/scrub.js'
import { expect, runMain, test } from '../support/cli-main.js'

test('tokens a command revealed in process leave this worker masked: console chunks and reporter messages', async ({ browser }) => {
  // Every secret the process-wide redactor (the guard's) learns is announced once on this channel.
  const learned = new Set<string>()
  const onSecret = (v: unknown) => learned.add(String(v))
  subscribe(SECRET_CHANNEL, onSecret)
  const r = await runMain(['flow', '--json', '--reveal'], { browser }).finally(() => unsubscribe(SECRET_CHANNEL, onSecret))
  expect(r.code, r.stderr).toBe(0)
  const { tokens } = JSON.parse(r.stdout) as { tokens: { accessToken: string; refreshToken: string } }
  // Registered by the harness itself while the command ran (the redactor also masks by shape, so the
  // masking below alone would not prove it).
  expect(learned).toContain(tokens.refreshToken)
  expect(learned).toContain(tokens.accessToken)
  // Revealed: the raw values are in the captured output, so a guard that did not know them would pass them on.
  expect(tokens.refreshToken).toMatch(/^5Aep861[A-Za-z0-9._]{20,}$/)
  expect(r.stdout).toContain(tokens.accessToken)
  const guard = guardWorker()
  const chunk = String(guard.chunk(r.stdout))
  const message = JSON.stringify(guard.message({ method: '__dispatch__', params: { method: 'stdOut', params: { testId: 'x', text: r.stdout } } }))
  for (const out of [chunk, message]) {
    expect(out).not.toContain(tokens.refreshToken)
    expect(out).not.toContain(tokens.accessToken)
    expect(out).toContain('5Aep…(')
  }
})
