/**
 * A nightly `sf-oauth check` in process: token files seeded over plain HTTP from the emulator (no browser),
 * a loopback server that captures webhook posts, and `checkCommand` called with an Io.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { checkCommand } from '../../src/cli/commands/check.js'
import type { Io } from '../../src/cli/output.js'
import { HarnessError } from '../../src/errors.js'
import type { RunningEmulator } from '../../src/emulator/index.js'
import { redactor } from '../../src/redact.js'
import { authorizeOverHttp, codeFrom, postToken, REDIRECT } from './http-flow.js'

/** A token file as `sf-oauth flow --save` writes it, from a real code exchange at the emulator. */
export async function seedTokenFile(em: RunningEmulator, path: string): Promise<{ refreshToken: string }> {
  const { app, user } = em.app.seed
  const code = codeFrom(await authorizeOverHttp(em))
  const res = await postToken(em, { grant_type: 'authorization_code', code, client_id: app.clientId, client_secret: app.clientSecret, redirect_uri: REDIRECT })
  if (res.status !== 200) throw new Error(`seed: token endpoint answered ${res.status}`)
  const b = res.body
  for (const v of [b.access_token, b.refresh_token]) redactor.add(v)
  const [orgId = '', userId = ''] = (b.id ?? '').split('/').slice(-2)
  writeFileSync(path, JSON.stringify({ version: 1, loginUrl: em.url, clientId: app.clientId, username: user.username, instanceUrl: b.instance_url, id: b.id, orgId, userId, scope: b.scope, issuedAt: b.issued_at, accessToken: b.access_token, refreshToken: b.refresh_token, savedAt: new Date().toISOString() }), { mode: 0o600 })
  return { refreshToken: b.refresh_token ?? '' }
}

export interface Capture {
  readonly url: string
  /** Bodies posted, by path, parsed. */
  readonly posts: { path: string; body: unknown; headers: IncomingMessage['headers'] }[]
  /** Answer the next `n` posts with this status (then 200 again). */
  failNext(n: number, status: number): void
  close(): Promise<void>
}

export async function startCapture(): Promise<Capture> {
  const posts: Capture['posts'] = []
  let failures = 0
  let failStatus = 500
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (failures > 0) {
        failures--
        res.writeHead(failStatus).end()
        return
      }
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        // kept as text: the test sees it is not JSON
      }
      posts.push({ path: req.url ?? '', body, headers: req.headers })
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    posts,
    failNext(n, status) {
      failures = n
      failStatus = status
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

export interface CheckRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** `sf-oauth check ARGV` in this process, with `env` as the environment (the embedded-emulator config). */
export async function runCheck(argv: string[], env: Record<string, string>): Promise<CheckRun> {
  let stdout = ''
  let stderr = ''
  const io: Io = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }
  try {
    const code = await checkCommand(argv, io, { env: { SF_TIMEOUT_MS: '5000', ...env } })
    return { code, stdout, stderr }
  } catch (err) {
    // As main() reports it: the code on stderr, the registry's exit code.
    if (!(err instanceof HarnessError)) throw err
    return { code: err.exitCode, stdout, stderr: `${stderr}✗ ${err.code}: ${err.message}\n` }
  }
}

export interface ThreeNights {
  readonly runs: readonly CheckRun[]
  readonly history: string
  /** Every refresh token issued on the way (registered with the redactor too). */
  readonly secrets: readonly string[]
}

/**
 * Three nightly `check --history` runs over targets a and b (both with a 30-day idle policy) and `notify`
 * URLs: run 1 all pass; before run 2 b's refresh token is revoked at the org; before run 3 b is
 * authorised again.
 */
export async function threeNights(em: RunningEmulator, dir: string, notify: readonly string[], notifyEnv: Record<string, string> = {}): Promise<ThreeNights> {
  const secrets: string[] = []
  for (const n of ['a', 'b']) secrets.push((await seedTokenFile(em, join(dir, `${n}.json`))).refreshToken)
  const { app } = em.app.seed
  const target = (name: string) => ({ name, loginUrl: em.url, clientIdEnv: 'SF_APP_ID', clientSecretEnv: 'SF_APP_SECRET', tokenFile: `${name}.json`, refreshTokenPolicy: { type: 'expire-if-unused', days: 30 } })
  writeFileSync(join(dir, 'targets.json'), JSON.stringify({ targets: [target('a'), target('b')] }))
  const env = { SF_APP_ID: app.clientId, SF_APP_SECRET: app.clientSecret, ...notifyEnv }
  const history = join(dir, 'history.jsonl')
  const args = ['--targets', join(dir, 'targets.json'), '--history', history, ...notify.flatMap((u) => ['--notify', u])]
  const runs: CheckRun[] = [await runCheck(args, env)]
  const b = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')) as { refreshToken: string }
  const revoked = await fetch(`${em.url}/services/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: b.refreshToken }) })
  if (revoked.status !== 200) throw new Error(`revoke answered ${revoked.status}`)
  runs.push(await runCheck(args, env))
  secrets.push((await seedTokenFile(em, join(dir, 'b.json'))).refreshToken)
  runs.push(await runCheck(args, env))
  return { runs, history, secrets }
}
