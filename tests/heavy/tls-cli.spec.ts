/**
 * `sf-oauth emulator --tls` as its own process, and the harness's own TLS paths against it: the CA file
 * in the --json line; `doctor` (its TLS handshake check and its HTTP check through the harness's undici
 * client) trusts the emulator only with NODE_EXTRA_CA_CERTS naming that CA; instance_url and id are https.
 */
import { existsSync } from 'node:fs'
import { runCli, startCli, waitForLine } from '../support/cli.js'
import { redactor } from '../../src/redact.js'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import type { ChildProcess } from 'node:child_process'

interface Doctor { ok: boolean; findings: { check: string; status: string; summary: string }[] }

test('emulator --tls: https URL and caFile; doctor passes with NODE_EXTRA_CA_CERTS and fails TLS without it', async () => {
  const child: ChildProcess = startCli(['emulator', '--tls', '--json'])
  try {
    const info = JSON.parse(await waitForLine(child, /^\{/)) as { url: string; caFile: string; clientId: string; clientSecret: string; username: string; password: string }
    for (const v of [info.clientSecret, info.password]) redactor.add(v)
    expect(info.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(existsSync(info.caFile)).toBe(true)
    const env = { SF_LOGIN_URL: info.url, SF_CLIENT_ID: info.clientId, SF_CLIENT_SECRET: info.clientSecret, SF_USERNAME: info.username, SF_PASSWORD: info.password }

    const trusted = await runCli(['doctor', '--json'], { env: { ...env, NODE_EXTRA_CA_CERTS: info.caFile } })
    const t = JSON.parse(trusted.stdout) as Doctor
    expect(t.findings.find((f) => f.check === 'tls')?.status, trusted.stdout).toBe('ok')
    expect(t.findings.find((f) => f.check === 'http')?.summary).toContain(`issuer ${info.url}`)
    expect(trusted.code).toBe(0)

    const untrusted = await runCli(['doctor', '--json'], { env })
    const u = JSON.parse(untrusted.stdout) as Doctor
    expect(u.findings.find((f) => f.check === 'tls')).toMatchObject({ status: 'fail' })
    expect(u.findings.find((f) => f.check === 'tls')?.summary).toContain('not trusted')
    expect(untrusted.code).toBe(1)
  } finally {
    child.kill('SIGTERM')
  }
})
