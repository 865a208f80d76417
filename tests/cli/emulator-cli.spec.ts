/**
 * `sf-oauth emulator` (issue 11, defects 3, 8 and 9): requests that used to end it,
 * a bad --host or a taken port as typed errors without a stack, and the warning for a non-loopback host.
 * The first test runs it as its own process (signals); the others call main in process.
 */
import { createServer, type Server } from 'node:net'
import { expect } from '@playwright/test'
import { test } from '../support/cli.js'
import { runMain } from '../support/cli-main.js'
import { rawRequest } from '../support/raw-http.js'

/** A port taken on 127.0.0.1 for the test's length. */
async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.address()
  return { port: typeof address === 'object' && address ? address.port : 0, server }
}

test('the standalone emulator survives a bad cookie, a bad Host and a bad target, then exits 0 on SIGTERM', async ({ org }) => {
  expect((await rawRequest(org.url, { target: '/services/oauth2/authorize', headers: [['Cookie', 'sid=%E0%A4%A']] })).status).toBeLessThan(500)
  expect((await rawRequest(org.url, { target: '/', headers: [['Host', 'a b']] })).status).toBe(400)
  expect((await rawRequest(org.url, { target: '//[' })).status).toBe(404)
  expect((await org.state()).counts.apps).toBe(1)
  expect(await org.stop()).toBe(0)
})

test('a bad --host is EMULATOR_HOST_INVALID, exit 2, no stack', async () => {
  for (const host of ['not a host', 'nonexistent.invalid']) {
    const r = await runMain(['emulator', '--host', host])
    expect(r.code, host).toBe(2)
    expect(r.stderr).toContain('EMULATOR_HOST_INVALID')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  }
})

test('a port in use is EMULATOR_PORT_IN_USE, exit 3, with the fix', async () => {
  const { port, server } = await takenPort()
  try {
    const r = await runMain(['emulator', '--port', String(port)])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/EMULATOR_PORT_IN_USE: --port \d+ on 127\.0\.0\.1 is already in use: .*--port 0/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  } finally {
    server.close()
  }
})

test('--host 0.0.0.0 warns on stderr that it exposes the emulator and its control API', async () => {
  // The port is taken on loopback, so the bind fails: the test never exposes anything to the network.
  const { port, server } = await takenPort()
  try {
    const r = await runMain(['emulator', '--host', '0.0.0.0', '--port', String(port)])
    expect(r.stderr).toMatch(/--host 0\.0\.0\.0 is not a loopback address: .*control API/)
    expect(r.stderr).toContain('EMULATOR_PORT_IN_USE')
    const quiet = await runMain(['emulator', '--host', '127.0.0.1', '--port', String(port)])
    expect(quiet.stderr).not.toContain('not a loopback address')
  } finally {
    server.close()
  }
})
