/**
 * Proxies come from the configuration (src/config.ts: `.env` and the environment the command is given),
 * not from whatever undici finds in process.env: a proxy set in `.env` is used, not only shown by doctor.
 * In process, so the command's environment and the process's differ on purpose.
 */
import { join } from 'node:path'
import { PROXY_VARIABLES_UNSET, startConnectProxy } from '../support/connect-proxy.js'
import { withEnvAsync } from '../support/env.js'
import { emptyDir, expect, runMain, test } from '../support/cli-main.js'

test('HTTP_PROXY in the configuration (not in process.env): the refresh goes through that proxy, its password shown nowhere', async ({ org, httpFlow }) => {
  const proxy = await startConnectProxy()
  try {
    const file = await httpFlow.saveTo(join(emptyDir(), 'tokens.json'))
    const r = await withEnvAsync(PROXY_VARIABLES_UNSET, () => runMain(['refresh', '--file', file], { env: { ...org.env, HTTP_PROXY: proxy.url } }))
    expect(r.code, r.stderr).toBe(0)
    expect(proxy.tunnels).toEqual([{ target: new URL(org.url).host, status: 200 }])
    expect(r.stdout + r.stderr).not.toContain(proxy.password)
  } finally {
    await proxy.close()
  }
})

test('a proxy only in process.env is not the configuration\'s: the command, given no proxy, goes direct', async ({ org, httpFlow }) => {
  const proxy = await startConnectProxy()
  proxy.refuse(403)
  try {
    const file = await httpFlow.saveTo(join(emptyDir(), 'tokens.json'))
    const r = await withEnvAsync({ ...PROXY_VARIABLES_UNSET, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }, () => runMain(['refresh', '--file', file], { env: org.env }))
    expect(r.code, r.stderr).toBe(0)
    expect(proxy.tunnels).toEqual([])
  } finally {
    await proxy.close()
  }
})

test('the embedded emulator goes direct: a proxy in the configuration (one that refuses everything) is not asked', { tag: '@browser' }, async ({ cli }) => {
  const proxy = await startConnectProxy()
  proxy.refuse(403)
  try {
    const r = await withEnvAsync(PROXY_VARIABLES_UNSET, () => cli(['flow', '--json'], { env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url } }))
    expect(r.code, r.stderr).toBe(0)
    expect(proxy.tunnels).toEqual([])
    expect(proxy.forwarded).toEqual([])
  } finally {
    await proxy.close()
  }
})
