/**
 * A nightly `sf-oauth check` in process: token files seeded over plain HTTP from the emulator (no browser),
 * a loopback server that captures webhook posts, and `checkCommand` called with an Io.
 */
import { writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { checkCommand } from '../../src/cli/commands/check.js'
import type { Io } from '../../src/cli/output.js'
import { loadConfig } from '../../src/config.js'
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
  const code = await checkCommand(argv, io, () => loadConfig({ SF_TIMEOUT_MS: '5000' }), env)
  return { code, stdout, stderr }
}
