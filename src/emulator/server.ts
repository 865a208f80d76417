/** Listening: an http.Server around the app. Port 0 picks a free port. */
import { createServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { generateTlsMaterial, type TlsMaterial } from './tls.js'
import { createEmulatorHandler, type EmulatorHandler } from './app.js'
import type { EmulatorOptions } from './app.js'

export interface RunningEmulator {
  /** Base URL, no trailing slash, e.g. http://127.0.0.1:39215 */
  readonly url: string
  readonly app: EmulatorHandler
  /** With `tls: true`: the throwaway CA (PEM and file) clients must trust. */
  readonly tls: Pick<TlsMaterial, 'ca' | 'caFile'> | undefined
  /** A request in memory, not over the socket (app.request): a path is resolved against `url`. */
  request(input: string | URL | Request, init?: RequestInit): Promise<Response>
  reset(): void
  close(): Promise<void>
}

export async function startEmulator(options: EmulatorOptions & { host?: string; port?: number; tls?: boolean } = {}): Promise<RunningEmulator> {
  const app = createEmulatorHandler(options)
  // https mode (tls.ts): what Salesforce's own tools insist on (an sfdx auth URL always logs in over https).
  const tls = options.tls === true ? generateTlsMaterial() : undefined
  const server = tls === undefined ? createServer((req, res) => app.handle(req, res)) : createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => app.handle(req, res))
  server.keepAliveTimeout = 5_000
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    const failed = (err: Error) => {
      tls?.dispose()
      reject(err)
    }
    server.once('error', failed)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', failed)
      resolve()
    })
  })
  // After listening, a server error (e.g. out of file descriptors on accept) is logged, never fatal.
  server.on('error', (err: NodeJS.ErrnoException) => process.stderr.write(`emulator: server error: ${err.code ?? err.name}\n`))
  // Expired codes, tokens and sessions also go when no request comes; unref'd: it keeps no process alive.
  const sweeper = setInterval(() => app.prune(true), 60_000)
  sweeper.unref()
  const { port } = server.address() as AddressInfo
  const url = `${tls === undefined ? 'http' : 'https'}://${host.includes(':') ? `[${host}]` : host}:${port}`
  return {
    url,
    app,
    tls: tls === undefined ? undefined : { ca: tls.ca, caFile: tls.caFile },
    request: (input, init) => app.request(typeof input === 'string' && input.startsWith('/') ? `${url}${input}` : input, init),
    reset: () => app.reset(),
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper)
        server.close(() => {
          tls?.dispose()
          resolve()
        })
        server.closeAllConnections()
      }),
  }
}
