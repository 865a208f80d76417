/**
 * A squatter: a real TCP listener on a loopback port that records every connection and every byte it
 * receives, and answers like a small web server would. Whatever reaches it left the browser.
 */
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import type { RunningEmulator } from '../../src/emulator/index.js'

export interface Squatter {
  readonly port: number
  /** Connections accepted so far. */
  readonly connections: number
  /** Everything received so far, as text. */
  received(): string
  close(): Promise<void>
}

export async function startSquatter(host = '127.0.0.1'): Promise<Squatter> {
  const chunks: Buffer[] = []
  const sockets = new Set<Socket>()
  let connections = 0
  const server: Server = createServer((socket) => {
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    socket.on('data', (chunk) => {
      chunks.push(chunk)
      if (chunk.includes('\r\n\r\n')) socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 9\r\nconnection: close\r\n\r\nthank you')
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    port,
    get connections() {
      return connections
    },
    received: () => Buffer.concat(chunks).toString('latin1'),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}

/** Register `uri` as one more Callback URL of the emulator's seeded app (for this test: reset restores it). */
export function registerRedirectUri(emulator: RunningEmulator, uri: string): void {
  const app = emulator.app.seed.app
  emulator.app.state.addApp({ ...app, redirectUris: [...app.redirectUris, uri] })
}

/** A loopback port nothing listens on (now): a redirect URI whose callback no server would catch. */
export async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as AddressInfo
  await new Promise<void>((r) => s.close(() => r()))
  return port
}
