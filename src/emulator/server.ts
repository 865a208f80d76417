/** Listening: an http.Server around the app. Port 0 picks a free port. */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createEmulatorApp, type EmulatorApp } from './app.js'
import type { EmulatorOptions } from './app.js'

export interface RunningEmulator {
  /** Base URL, no trailing slash, e.g. http://127.0.0.1:39215 */
  readonly url: string
  readonly app: EmulatorApp
  /** A request in memory, not over the socket (app.request): a path is resolved against `url`. */
  request(input: string | URL | Request, init?: RequestInit): Promise<Response>
  reset(): void
  close(): Promise<void>
}

export async function startEmulator(options: EmulatorOptions & { host?: string; port?: number } = {}): Promise<RunningEmulator> {
  const app = createEmulatorApp(options)
  const server = createServer((req, res) => app.handle(req, res))
  server.keepAliveTimeout = 5_000
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  // After listening, a server error (e.g. out of file descriptors on accept) is logged, never fatal.
  server.on('error', (err: NodeJS.ErrnoException) => process.stderr.write(`emulator: server error: ${err.code ?? err.name}\n`))
  // Expired codes, tokens and sessions also go when no request comes; unref'd: it keeps no process alive.
  const sweeper = setInterval(() => app.prune(true), 60_000)
  sweeper.unref()
  const { port } = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  return {
    url,
    app,
    request: (input, init) => app.request(typeof input === 'string' && input.startsWith('/') ? `${url}${input}` : input, init),
    reset: () => app.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper)
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
