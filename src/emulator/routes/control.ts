/**
 * The test control API, under /__emulator/ (a path Salesforce does not have). The harness's live path
 * never calls it; tests use it to drive an emulator running as its own process.
 *   POST /__emulator/reset              seeded state, default behaviour, real time
 *   POST /__emulator/configure  {json}  merge behaviour switches, e.g. {"loginMode":"two-step"}
 *   POST /__emulator/clock      {"advanceMs": n}   (then expired codes, tokens and sessions are pruned)
 *   GET  /__emulator/state              counts only (no secrets), behaviour, clock, process memory
 *   GET  /__emulator/mailbox            the newest emailed verification code (the user's inbox, a test double)
 *   GET  /__emulator/sms                the newest texted (SMS) verification code (the user's phone, a test double)
 *   GET  /__emulator/                   the console: a page showing all this, with controls (console.ts)
 *   POST /__emulator/passkey    {"username", "credentialId" (base64url), "publicKey" (SPKI, PEM or base64 DER), "signCount"?}
 *                                       register a passkey for a user (as if enrolled)
 *   POST /__emulator/user       {"username", "password", "totpSecret"?}
 *                                       add a user to the org (then switch pages on for it alone:
 *                                       configure with "user")
 *
 * Any web page the tester visits could reach it, so (Fetch Metadata / CORS rules, not a secret):
 * - a POST needs Content-Type application/json (a cross-site form or text/plain POST needs no preflight,
 *   so it would arrive; a JSON one needs a preflight this API never grants): else 415;
 * - an Origin other than the emulator's own, or Sec-Fetch-Site other than same-origin/none: 403;
 * - a Host that is a DNS name other than localhost: 403 (DNS rebinding: evil.example resolving to
 *   127.0.0.1 would otherwise be "same origin"). IP literals and localhost cannot be rebound.
 */
import { createPublicKey } from 'node:crypto'
import { Secret } from 'otpauth'
import { isIP } from 'node:net'
import type { Ctx } from '../http-util.js'
import { json } from '../http-util.js'
import type { EmulatorHandler as App } from '../app.js'
import { consolePage } from './console.js'

/** Why a control request is refused (status and reason), or undefined when it may proceed. */
export function controlRefusal(ctx: Ctx): { status: number; reason: string } | undefined {
  const h = ctx.req.headers
  const hostname = new URL(ctx.base).hostname.replace(/^\[|\]$/g, '')
  if (hostname !== 'localhost' && isIP(hostname) === 0) return { status: 403, reason: 'control API: reach it by IP address or localhost (DNS names are refused: DNS rebinding)' }
  const origin = h.origin
  if (origin !== undefined && origin !== ctx.base) return { status: 403, reason: 'control API: cross-origin request refused' }
  const site = h['sec-fetch-site']
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return { status: 403, reason: 'control API: cross-site request refused' }
  if (ctx.req.method === 'POST' && !/^application\/json\s*(;|$)/i.test(h['content-type'] ?? '')) return { status: 415, reason: 'control API: send Content-Type: application/json' }
  return undefined
}

/** Base32 (RFC 4648 §6) of 16 to 64 characters: what an authenticator app takes as a secret. */
const BASE32 = /^[A-Z2-7]{16,64}$/

/**
 * A user in the seeded user's org, from an untrusted body. Its ids are the emulator's (a counter); its
 * password and TOTP secret are secrets like the seeded user's, so they are reported to `secret()` and
 * never answered.
 */
function addUser(app: App, body: { username?: unknown; password?: unknown; totpSecret?: unknown }): void {
  const { username, password, totpSecret } = body
  if (typeof username !== 'string' || username.length > 80 || !/^[^\s@]+@[^\s@]+$/.test(username)) throw new Error('username must be name@domain, at most 80 characters')
  if (app.state.users.has(username)) throw new Error('username is taken: pick another, or POST /__emulator/reset')
  if (typeof password !== 'string' || password.length < 8 || password.length > 128) throw new Error('password must be 8 to 128 characters')
  if (totpSecret !== undefined && (typeof totpSecret !== 'string' || !BASE32.test(totpSecret))) throw new Error('totpSecret must be base32 (A-Z, 2-7), 16 to 64 characters')
  if (app.state.users.size >= MAX_USERS) throw new Error(`at most ${MAX_USERS} users: POST /__emulator/reset`)
  app.secret(password)
  const secret = totpSecret ?? new Secret({ size: 20 }).base32
  app.secret(secret)
  const seeded = app.seed.user
  const n = String(app.state.users.size).padStart(4, '0')
  const [first = username] = username.split('@')
  app.state.addUser({ ...seeded, username, password, email: username, userId: `0055g00000U${n}AAA`, firstName: first.slice(0, 40), lastName: 'User', active: true, totpSecret: secret })
}

/** Users the control API may add (the emulator stays bounded in memory). */
const MAX_USERS = 1000

/** The most the clock may move in one call (about 30 years): enough for any expiry, far from overflow. */
const MAX_ADVANCE_MS = 1e12

export async function control(ctx: Ctx, app: App): Promise<void> {
  const action = ctx.url.pathname.slice('/__emulator/'.length)
  const method = ctx.req.method
  const refused = controlRefusal(ctx)
  if (refused !== undefined) {
    json(ctx, refused.status, { error: refused.reason })
    return
  }
  try {
    if (method === 'GET' && action === '') {
      // The console (console.ts): behind the same refusal as the API it drives.
      consolePage(ctx, app)
    } else if (method === 'GET' && action === 'state') {
      const { rss, heapUsed } = process.memoryUsage()
      json(ctx, 200, { counts: app.state.counts(), limits: app.state.limits, behaviour: app.behaviour(), now: app.clock.now(), memory: { rss, heapUsed } })
    } else if (method === 'GET' && action === 'mailbox') {
      // The test double of the user's inbox: the newest verification code (for SF_VERIFICATION_CODE_COMMAND).
      const last = app.state.mailbox.at(-1)
      json(ctx, last ? 200 : 404, last ? { to: last.to, code: last.code } : { error: 'no mail' })
    } else if (method === 'GET' && action === 'sms') {
      // The test double of the user's phone: the newest SMS verification code.
      const last = app.state.texts.at(-1)
      json(ctx, last ? 200 : 404, last ? { to: last.to, code: last.code } : { error: 'no text message' })
    } else if (method === 'POST' && action === 'reset') {
      app.reset()
      json(ctx, 200, { ok: true })
    } else if (method === 'POST' && action === 'configure') {
      const body: unknown = JSON.parse((await ctx.body()) || '{}')
      app.configure(body)
      json(ctx, 200, { ok: true, behaviour: app.behaviour() })
    } else if (method === 'POST' && action === 'passkey') {
      const body = JSON.parse((await ctx.body()) || '{}') as { username?: unknown; credentialId?: unknown; publicKey?: unknown; signCount?: unknown }
      if (typeof body.username !== 'string' || !app.state.users.has(body.username)) throw new Error('username must name a user of the emulator')
      if (typeof body.credentialId !== 'string' || !/^[A-Za-z0-9_-]{16,1366}$/.test(body.credentialId)) throw new Error('credentialId must be base64url')
      if (typeof body.publicKey !== 'string') throw new Error('publicKey must be an SPKI public key, PEM or base64 DER')
      const publicKey = body.publicKey.includes('BEGIN') ? createPublicKey(body.publicKey) : createPublicKey({ key: Buffer.from(body.publicKey, 'base64'), format: 'der', type: 'spki' })
      if (publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('publicKey must be an ECDSA P-256 key')
      const signCount = typeof body.signCount === 'number' && Number.isInteger(body.signCount) && body.signCount >= 0 ? body.signCount : 0
      const list = app.state.passkeys.get(body.username) ?? []
      app.state.passkeys.set(body.username, [...list, { id: Buffer.from(body.credentialId, 'base64url'), publicKey, signCount }])
      json(ctx, 200, { ok: true })
    } else if (method === 'POST' && action === 'user') {
      const body = JSON.parse((await ctx.body()) || '{}') as { username?: unknown; password?: unknown; totpSecret?: unknown }
      addUser(app, body)
      json(ctx, 200, { ok: true, username: body.username })
    } else if (method === 'POST' && action === 'clock') {
      const body = JSON.parse((await ctx.body()) || '{}') as { advanceMs?: unknown }
      if (typeof body.advanceMs !== 'number' || !Number.isFinite(body.advanceMs) || Math.abs(body.advanceMs) > MAX_ADVANCE_MS) throw new Error(`advanceMs must be a number of milliseconds, at most ${MAX_ADVANCE_MS} either way`)
      app.clock.advance(body.advanceMs)
      app.prune(true)
      // Only under `node --expose-gc` (the soak benchmark): then memory figures show what is retained.
      ;(globalThis as { gc?: () => void }).gc?.()
      json(ctx, 200, { ok: true, now: app.clock.now() })
    } else {
      json(ctx, 404, { error: 'unknown control action', actions: ['GET state', 'GET mailbox', 'GET sms', 'POST reset', 'POST configure', 'POST clock', 'POST passkey', 'POST user'] })
    }
  } catch (err) {
    json(ctx, 400, { error: err instanceof Error ? err.message : String(err) })
  }
}
