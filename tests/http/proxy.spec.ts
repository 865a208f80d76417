/**
 * The HTTP client behind a proxy that refuses CONNECT, in process: the client made with HTTPS_PROXY set
 * (undici's EnvHttpProxyAgent reads it when the client is made) reports PROXY_TUNNEL_REFUSED with the
 * proxy's status, sends the request once (a refusal is not retried), and never shows the proxy's
 * credentials. The way through a willing proxy to the https emulator is tests/heavy/tls-proxy.spec.ts.
 */
import { expect } from '@playwright/test'
import { createHttp, type Http } from '../../src/http/client.js'
import { PROXY_VARIABLES_UNSET, startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js'
import { withEnv } from '../support/env.js'
import { test as base } from '../support/scrub.js'

const test = base.extend<{ connectProxy: ConnectProxy; viaProxy: (proxyUrl: string) => Http }>({
  connectProxy: async ({}, use) => {
    const p = await startConnectProxy()
    await use(p)
    await p.close()
  },
  viaProxy: async ({}, use) => {
    const clients: Http[] = []
    await use((proxyUrl) => {
      let http: Http | undefined
      withEnv({ ...PROXY_VARIABLES_UNSET, HTTPS_PROXY: proxyUrl }, () => {
        http = createHttp({ timeoutMs: 5_000 })
      })
      if (http === undefined) throw new Error('no client')
      clients.push(http)
      return http
    })
    await Promise.all(clients.map((c) => c.close()))
  },
})

/** A token request to an https host: the proxy refuses before any byte reaches it. */
async function failure(http: Http): Promise<{ code?: string; message: string; exitCode?: number }> {
  try {
    await http.send({ method: 'POST', url: 'https://127.0.0.1:4443/services/oauth2/token', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }), idempotent: false })
  } catch (err) {
    return err as { code?: string; message: string; exitCode?: number }
  }
  throw new Error('the request went through')
}

test('a proxy that forbids the tunnel (403): PROXY_TUNNEL_REFUSED, exit 3, asked once, no credentials in the message', async ({ connectProxy, viaProxy }) => {
  connectProxy.refuse(403)
  const err = await failure(viaProxy(connectProxy.url))
  expect(err.code).toBe('PROXY_TUNNEL_REFUSED')
  expect(err.exitCode).toBe(3)
  expect(err.message).toContain('HTTP 403')
  expect(connectProxy.tunnels).toEqual([{ target: '127.0.0.1:4443', status: 403 }])
  for (const s of [connectProxy.password, connectProxy.user]) expect(err.message).not.toContain(s)
})

test('a proxy that refuses the credentials (407): PROXY_TUNNEL_REFUSED naming the user and password of HTTPS_PROXY, not showing them', async ({ connectProxy, viaProxy }) => {
  const wrong = connectProxy.url.replace(connectProxy.password, 'Wr0ng-pw-x')
  const err = await failure(viaProxy(wrong))
  expect(err.code).toBe('PROXY_TUNNEL_REFUSED')
  expect(err.message).toMatch(/HTTP 407.*user and password of HTTPS_PROXY/)
  expect(err.message).not.toContain('Wr0ng-pw-x')
  expect(connectProxy.tunnels.map((t) => t.status)).toEqual([407])
})
