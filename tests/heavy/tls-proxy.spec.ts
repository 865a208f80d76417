/**
 * The harness's proxy support (undici's EnvHttpProxyAgent reading HTTPS_PROXY, src/http/client.ts)
 * against the https emulator: sf-oauth runs as its own process with HTTPS_PROXY naming a CONNECT proxy
 * on loopback (with a user and password) and NODE_EXTRA_CA_CERTS naming the emulator's CA. The code
 * exchange and the refresh go through the proxy's tunnel; the proxy's credentials appear nowhere; a
 * proxy that refuses the tunnel is PROXY_TUNNEL_REFUSED, a certificate not trusted through a willing one
 * NETWORK_TLS_UNTRUSTED. Heavy: subprocesses and openssl.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { emptyDir, runCli, type CliResult } from '../support/cli.js'
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js'
import { authorizeOverHttp, personOverHttp, REDIRECT } from '../support/http-flow.js'
import { expect, test as base, type TlsEmulator } from '../support/tls-emulator.js'
import { Agent } from 'undici'
import { exchangeCode } from '../../src/client/operations.js'
import { createHttp } from '../../src/http/client.js'
import { parseCallback } from '../../src/oauth/callback.js'
import { createPkce } from '../../src/oauth/pkce.js'
import { redactor } from '../../src/redact.js'
import { savedTokenSet, writeTokenFile } from '../../src/store/token-store.js'

/** sf-oauth from bin/ with exactly `env` (plus PATH, HOME, ...), `input` on stdin. */
function sfOauth(args: string[], env: Record<string, string>, cwd: string, input = ''): Promise<CliResult> {
  return runCli(args, { env, cwd, input })
}

const test = base.extend<{ connectProxy: ConnectProxy }>({
  connectProxy: async ({}, use) => {
    const connectProxy = await startConnectProxy()
    await use(connectProxy)
    await connectProxy.close()
  },
})

/** Every form the proxy's credentials could leak in: the password, the user, the Basic header value. */
function credentialForms(p: ConnectProxy): string[] {
  return [p.password, p.user, Buffer.from(`${p.user}:${p.password}`).toString('base64'), encodeURIComponent(p.password)]
}

function expectNoCredentials(p: ConnectProxy, what: string, text: string): void {
  for (const form of credentialForms(p)) expect(text, `${what} holds the proxy's credentials`).not.toContain(form)
}

test('the code exchange and the refresh go through the CONNECT proxy to the https emulator; its credentials appear nowhere', async ({ tlsEmulator, connectProxy }) => {
  const em = tlsEmulator.emulator
  const { app, user } = em.app.seed
  const target = new URL(em.url).host
  const dir = emptyDir()
  const env = { SF_LOGIN_URL: em.url, SF_CLIENT_ID: app.clientId, SF_CLIENT_SECRET: app.clientSecret, SF_USERNAME: user.username, SF_PASSWORD: user.password, HTTPS_PROXY: connectProxy.url, NODE_EXTRA_CA_CERTS: em.tls.caFile }

  const url = await sfOauth(['authorize-url', '--pending', 'pending.json'], env, dir)
  expect(url.code, url.stderr).toBe(0)
  // The person's browser talks to the emulator directly (a browser has proxy settings of its own).
  const callback = await personOverHttp(url.stdout.trim(), user, 'approve', tlsEmulator.fetch)

  const exchanged = await sfOauth(['exchange', '--pending', 'pending.json', '--save', 'tokens.json', '--json'], env, dir, `${callback}\n`)
  expect(exchanged.code, exchanged.stdout + exchanged.stderr).toBe(0)
  expect(em.app.state.hits.get('/services/oauth2/token')).toBe(1)
  const afterExchange = connectProxy.tunnels.length
  expect(afterExchange).toBeGreaterThan(0)
  expect(connectProxy.tunnels.every((t) => t.target === target && t.status === 200)).toBe(true)

  const refreshed = await sfOauth(['refresh', '--file', 'tokens.json', '--json'], env, dir)
  expect(refreshed.code, refreshed.stdout + refreshed.stderr).toBe(0)
  expect((JSON.parse(refreshed.stdout) as { ok: boolean; instanceUrl: string }).instanceUrl).toBe(em.url)
  expect(em.app.state.hits.get('/services/oauth2/token')).toBe(2)
  expect(connectProxy.tunnels.length).toBeGreaterThan(afterExchange)
  expect(connectProxy.tunnels.every((t) => t.target === target && t.status === 200)).toBe(true)

  for (const [what, r] of [['authorize-url', url], ['exchange', exchanged], ['refresh', refreshed]] as const) expectNoCredentials(connectProxy, what, r.stdout + r.stderr)
  for (const f of readdirSync(dir)) expectNoCredentials(connectProxy, f, readFileSync(join(dir, f), 'utf8'))
})

/** A saved token set from a code exchange made in this worker (trusting the CA), not through any proxy. */
async function savedTokens(t: TlsEmulator, file: string): Promise<void> {
  const em = t.emulator
  const pkce = createPkce()
  const location = await authorizeOverHttp(em, { verifier: pkce.verifier, state: 's', fetch: t.fetch })
  const agent = new Agent({ connect: { ca: em.tls.ca } })
  const http = createHttp({ timeoutMs: 10_000, dispatcher: agent })
  try {
    const client = { loginUrl: em.url, clientId: em.app.seed.app.clientId, clientSecret: em.app.seed.app.clientSecret }
    const { tokens } = await exchangeCode({ http, secrets: redactor }, client, parseCallback(location, { redirectUri: REDIRECT, state: 's' }), { verifier: pkce.verifier, expectRefreshToken: true })
    await writeTokenFile(file, savedTokenSet({ ...client, username: em.app.seed.user.username }, tokens))
  } finally {
    await http.close()
    await agent.close()
  }
}

test('a proxy that refuses the tunnel (403) or the credentials (407): PROXY_TUNNEL_REFUSED; the CA not trusted: NETWORK_TLS_UNTRUSTED; exit 3, the refresh token unspent, no credentials shown', async ({ tlsEmulator, connectProxy }) => {
  const em = tlsEmulator.emulator
  const { app, user } = em.app.seed
  const dir = emptyDir()
  await savedTokens(tlsEmulator, join(dir, 'tokens.json'))
  const tokenCalls = em.app.state.hits.get('/services/oauth2/token')
  const untrusting = { SF_LOGIN_URL: em.url, SF_CLIENT_ID: app.clientId, SF_CLIENT_SECRET: app.clientSecret, SF_USERNAME: user.username, SF_PASSWORD: user.password }
  const env = { ...untrusting, NODE_EXTRA_CA_CERTS: em.tls.caFile }
  const codeOf = (r: CliResult) => (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error

  connectProxy.refuse(403)
  const forbidden = await sfOauth(['refresh', '--file', 'tokens.json', '--json'], { ...env, HTTPS_PROXY: connectProxy.url }, dir)
  expect(forbidden.code, forbidden.stdout + forbidden.stderr).toBe(3)
  expect(codeOf(forbidden).code).toBe('PROXY_TUNNEL_REFUSED')
  expect(codeOf(forbidden).message).toContain('403')
  expectNoCredentials(connectProxy, 'refresh through a refusing proxy', forbidden.stdout + forbidden.stderr)

  connectProxy.refuse(undefined)
  const wrong = 'Wr0ng-Pr0xy-pw'
  const badCredentials = await sfOauth(['refresh', '--file', 'tokens.json', '--json'], { ...env, HTTPS_PROXY: connectProxy.url.replace(connectProxy.password, wrong) }, dir)
  expect(badCredentials.code, badCredentials.stdout + badCredentials.stderr).toBe(3)
  expect(codeOf(badCredentials).code).toBe('PROXY_TUNNEL_REFUSED')
  expect(codeOf(badCredentials).message).toContain('407')
  expect(badCredentials.stdout + badCredentials.stderr).not.toContain(wrong)
  expect(connectProxy.tunnels.map((t) => t.status)).toEqual([403, 407])

  // A willing proxy, but the emulator's CA not trusted: the TLS check runs end to end, through the tunnel.
  const untrusted = await sfOauth(['refresh', '--file', 'tokens.json', '--json'], { ...untrusting, HTTPS_PROXY: connectProxy.url }, dir)
  expect(untrusted.code, untrusted.stdout + untrusted.stderr).toBe(3)
  expect(codeOf(untrusted).code).toBe('NETWORK_TLS_UNTRUSTED')
  expectNoCredentials(connectProxy, 'refresh without the CA', untrusted.stdout + untrusted.stderr)

  // Nothing reached the emulator, so the refresh token is still good.
  expect(em.app.state.hits.get('/services/oauth2/token')).toBe(tokenCalls)
  const through = await sfOauth(['refresh', '--file', 'tokens.json', '--json'], { ...env, HTTPS_PROXY: connectProxy.url }, dir)
  expect(through.code, through.stdout + through.stderr).toBe(0)
})
