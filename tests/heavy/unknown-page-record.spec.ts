/**
 * `sf-oauth flow --record DIR` on an org login flow page (a page no tool can know), in process with its
 * own browser: FLOW_UNKNOWN_PAGE although SF_TIMEOUT_MS is 60 s, the screenshot and the page's form
 * fields by name (never values) in DIR, and `doctor --record DIR` naming that page. Heavy: it launches Chromium.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { flowCommand } from '../../src/cli/commands/flow.js'
import { lastFlowFinding } from '../../src/cli/commands/doctor.js'
import type { Io } from '../../src/cli/output.js'
import { emptyDir } from '../support/cli.js'
import { expect, test } from '../support/emulator.js'

const io: Io = { stdout: () => undefined, stderr: () => undefined }

test('an unknown page with --record: FLOW_UNKNOWN_PAGE, screenshot and field names in DIR, doctor names the page', async ({ emulator }, testInfo) => {
  emulator.app.configure({ orgLoginFlow: true })
  const { app, user } = emulator.app.seed
  const dir = join(emptyDir(), 'rec')
  const config = ({ env: { SF_LOGIN_URL: emulator.url, SF_CLIENT_ID: app.clientId, SF_CLIENT_SECRET: app.clientSecret, SF_USERNAME: user.username, SF_PASSWORD: user.password, SF_TIMEOUT_MS: '60000' } })
  const started = performance.now()
  const err = (await flowCommand(['--record', dir], io, config).catch((e: unknown) => e)) as { code?: string; exitCode?: number }
  testInfo.annotations.push({ type: 'failed after (ms), browser launch included', description: String(Math.round(performance.now() - started)) })
  expect(err.code).toBe('FLOW_UNKNOWN_PAGE')
  expect(err.exitCode).toBe(1)
  expect(existsSync(join(dir, 'failure.png'))).toBe(true)
  const page = JSON.parse(readFileSync(join(dir, 'failure-page.json'), 'utf8')) as { title: string; path: string; fields: { name: string }[] }
  expect(page).toMatchObject({ title: 'Terms of Use', path: '/apex/TermsOfUseLoginFlow' })
  expect(page.fields.map((f) => f.name)).toContain('j_id0:j_id2:accept')
  expect(JSON.stringify(page)).not.toContain(user.password)
  const finding = await lastFlowFinding(dir)
  expect(finding.status).toBe('fail')
  expect(finding.summary).toBe('stopped with FLOW_UNKNOWN_PAGE on "Terms of Use" at /apex/TermsOfUseLoginFlow')
  expect(finding.explain).toContain('j_id0:j_id2:accept')
})
