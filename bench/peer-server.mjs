// @ts-check
/**
 * oauth2-mock-server as its own process on a free loopback port, configured as its README's quick
 * start does (one RS256 key). Prints one JSON line `{"url": ...}` and serves until SIGTERM.
 */
import { OAuth2Server } from 'oauth2-mock-server'

const server = new OAuth2Server()
await server.issuer.keys.generate('RS256')
await server.start(0, '127.0.0.1')
process.stdout.write(`${JSON.stringify({ url: server.issuer.url })}\n`)
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)))
