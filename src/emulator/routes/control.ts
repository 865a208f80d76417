/**
 * The test control API, under /__emulator/ (a path Salesforce does not have). The harness's live path
 * never calls it; tests use it to drive an emulator running as its own process.
 *   POST /__emulator/reset              seeded state, default behaviour, real time
 *   POST /__emulator/configure  {json}  merge behaviour switches, e.g. {"loginMode":"two-step"}
 *   POST /__emulator/clock      {"advanceMs": n}
 *   GET  /__emulator/state              counts only (no secrets)
 *   GET  /__emulator/mailbox            the newest emailed verification code (the user's inbox, a test double)
 */
import type { Ctx } from '../http-util.js'
import { json } from '../http-util.js'
import type { EmulatorApp as App } from '../app.js'

export async function control(ctx: Ctx, app: App): Promise<void> {
  const action = ctx.url.pathname.slice('/__emulator/'.length)
  const method = ctx.req.method
  try {
    if (method === 'GET' && action === 'state') {
      json(ctx, 200, { counts: app.state.counts(), behaviour: app.behaviour(), now: app.clock.now() })
    } else if (method === 'GET' && action === 'mailbox') {
      // The test double of the user's inbox: the newest verification code (for SF_VERIFICATION_CODE_COMMAND).
      const last = app.state.mailbox.at(-1)
      json(ctx, last ? 200 : 404, last ? { to: last.to, code: last.code } : { error: 'no mail' })
    } else if (method === 'POST' && action === 'reset') {
      app.reset()
      json(ctx, 200, { ok: true })
    } else if (method === 'POST' && action === 'configure') {
      const body: unknown = JSON.parse((await ctx.body()) || '{}')
      app.configure(body)
      json(ctx, 200, { ok: true, behaviour: app.behaviour() })
    } else if (method === 'POST' && action === 'clock') {
      const body = JSON.parse((await ctx.body()) || '{}') as { advanceMs?: unknown }
      if (typeof body.advanceMs !== 'number' || !Number.isFinite(body.advanceMs)) throw new Error('advanceMs must be a number')
      app.clock.advance(body.advanceMs)
      json(ctx, 200, { ok: true, now: app.clock.now() })
    } else {
      json(ctx, 404, { error: 'unknown control action', actions: ['GET state', 'POST reset', 'POST configure', 'POST clock'] })
    }
  } catch (err) {
    json(ctx, 400, { error: err instanceof Error ? err.message : String(err) })
  }
}
