/**
 * The browser's proxy (src/browser/proxy.ts): the config's HTTPS_PROXY/HTTP_PROXY and NO_PROXY, handed to
 * the context Playwright opens, credentials included (Chromium cannot take them from the environment).
 */
import { browserProxy } from '../../src/browser/proxy.js'
import { runWebServerFlow } from '../../src/flow/web-server-flow.js'
import { redactor } from '../../src/redact.js'
import { startConnectProxy } from '../support/connect-proxy.js'
import { expect, test } from '../support/test.js'

test('from the config\'s proxies: HTTPS_PROXY first, credentials out of the server URL and decoded, NO_PROXY as the bypass list', () => {
  expect(browserProxy({ httpProxy: '', httpsProxy: '', noProxy: 'example.com' })).toBeUndefined()
  expect(browserProxy({ httpProxy: 'http://plain.example:3128', httpsProxy: '', noProxy: '' })).toEqual({ server: 'http://plain.example:3128' })
  expect(browserProxy({ httpProxy: 'http://plain.example:3128', httpsProxy: 'http://us%40r:p%3Ass@secure.example:8080/', noProxy: ' .corp.example, localhost  10.0.0.1' }))
    .toEqual({ server: 'http://secure.example:8080', username: 'us@r', password: 'p:ss', bypass: '.corp.example,localhost,10.0.0.1' })
})

test('a flow with a proxy in the config: the login pages through it with its credentials, the token calls through its tunnel, the code never', { tag: '@browser' }, async ({ browser, httpFlow, emulator }) => {
  const proxy = await startConnectProxy()
  try {
    // The emulator stands in for an org behind the proxy (Playwright proxies loopback too; <-loopback> says so).
    const result = await runWebServerFlow({ target: httpFlow.target, timeoutMs: 10_000, browser, proxies: { httpProxy: proxy.url, httpsProxy: '', noProxy: '<-loopback>' } })
    expect(result.tokens.refreshToken).toMatch(/^5Aep/)
    const host = new URL(emulator.url).host
    const pages = proxy.forwarded.filter((f) => f.status === 200).map((f) => new URL(f.url))
    expect(pages.map((u) => u.pathname)).toEqual(expect.arrayContaining(['/services/oauth2/authorize', '/', '/setup/secur/RemoteAccessAuthorizationPage.apexp']))
    expect(pages.every((u) => u.host === host)).toBe(true)
    // The first try carries no credentials: Chromium answers the 407 with the context's username and password.
    expect(proxy.forwarded.some((f) => f.status === 407)).toBe(true)
    expect(proxy.tunnels).toEqual([{ target: host, status: 200 }])
    // The callback is caught inside the browser: the code reaches neither the proxy nor anything else.
    expect(proxy.forwarded.some((f) => f.url.includes('code='))).toBe(false)
    expect(redactor.text(proxy.url)).not.toContain(proxy.password)
  } finally {
    await proxy.close()
  }
})
