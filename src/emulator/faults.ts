/**
 * Faults on demand: what Salesforce (or a proxy in front of it) does on a bad day. Pages and strings
 * are modelled on the real maintenance page and error bodies (docs/salesforce-oauth.md §2.3, §2.4).
 */
import type { Fault } from './behaviour.js'
import { html, json, send, type Ctx } from './http-util.js'

/** A token answer that is right but for the one thing a fault breaks. Values are fakes. */
function brokenBody(base: string): Record<string, string> {
  return {
    access_token: '00D5g00000FAKED!AQ0AQFakeFaultAccessTokenFakeFaultAccessToken',
    refresh_token: '5Aep861FakeFaultRefreshTokenFakeFaultRefreshTokenFakeFaultRefreshToken',
    signature: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
    scope: 'api refresh_token',
    instance_url: base,
    id: `${base}/id/00D5g00000FAKEDEAQ/0055g00000FAKEDAAA`,
    token_type: 'Bearer',
    issued_at: '1700000000000',
  }
}

export const MAINTENANCE = '<!DOCTYPE html><html><head><title>Salesforce - Maintenance</title></head><body><h1>Down for Maintenance</h1><p>We are down for maintenance. Please try again later.</p></body></html>'

/** Answer with the fault; returns false for 'slow' (the route still answers, late). */
export async function applyFault(ctx: Ctx, fault: Fault, delayMs: number): Promise<boolean> {
  switch (fault) {
    case 'none':
      return false
    case 'slow':
      // Wakes early when the client hangs up, and never keeps a closing emulator's process alive
      // (an emulator process stopped mid-delay used to exit only when the delay ran out).
      await new Promise<void>((resolve) => {
        const socket = ctx.req.socket
        const done = () => {
          clearTimeout(timer)
          socket.off('close', done)
          resolve()
        }
        const timer = setTimeout(done, delayMs > 0 ? delayMs : 60_000)
        timer.unref()
        socket.once('close', done)
      })
      // A client that hung up meanwhile gets nothing processed (its request never "arrived").
      if (ctx.req.socket.destroyed) {
        ctx.res.destroy()
        return true
      }
      return false
    case 'http500':
      html(ctx, 500, MAINTENANCE)
      return true
    case 'http503':
      html(ctx, 503, MAINTENANCE, { 'retry-after': '1' })
      return true
    case 'reset':
      // Headers and half a body, then the connection drops.
      ctx.res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': '400' })
      ctx.res.write('{"access_token":"00D5g00000FAKED!AQ0AQ')
      setImmediate(() => ctx.res.socket?.destroy())
      return true
    case 'malformed-json':
      send(ctx, 200, { 'content-type': 'application/json;charset=UTF-8' }, '{"access_token":"00D5g00000FAKED!AQ0AQ","signature":"')
      return true
    case 'html':
      html(ctx, 200, '<!DOCTYPE html><html><head><title>Login | Salesforce</title></head><body><form id="login_form"></form></body></html>')
      return true
    case 'rate-limit':
      json(ctx, 400, { error: 'rate_limit_exceeded', error_description: 'Number of logins exceeded' })
      return true
    case 'empty':
      send(ctx, 200, { 'content-type': 'application/json;charset=UTF-8' }, '')
      return true
    case 'wrong-types':
      json(ctx, 200, { ...brokenBody(ctx.base), issued_at: 1700000000000 })
      return true
    case 'missing-fields': {
      json(ctx, 200, Object.fromEntries(Object.entries(brokenBody(ctx.base)).filter(([k]) => k !== 'signature')))
      return true
    }
    case 'huge': {
      // 20 MB of HTML, streamed: a proxy's error page gone wrong.
      ctx.res.writeHead(200, { 'content-type': 'text/html' })
      const chunk = Buffer.alloc(1024 * 1024, 'x')
      let sent = 0
      // A write that returns false still queued its chunk: counted, or a slow reader would get more than 20 MB.
      const pump = () => {
        while (sent < 20 && !ctx.res.destroyed) {
          sent++
          if (!ctx.res.write(chunk)) {
            ctx.res.once('drain', pump)
            return
          }
        }
        ctx.res.end()
      }
      pump()
      return true
    }
    case 'teapot':
      send(ctx, 418, { 'content-type': 'text/plain' }, "I'm a teapot")
      return true
    case 'redirect-loop':
      send(ctx, 302, { location: ctx.url.pathname })
      return true
  }
}
