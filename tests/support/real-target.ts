/** The emulator and live targets: the harness's real operations (src/client/operations.ts) against a login URL. */
import type { Page } from 'playwright'
import * as op from '../../src/client/operations.js'
import { scopeAsksForRefreshToken } from '../../src/oauth/token-request.js'
import type { FlowTarget } from '../../src/targets/flow-target.js'
import type { ScenarioTarget, TargetName } from './scenarios.js'
import { authorizeOnly, withOperations, type Authorized } from './steps.js'

const withHttp = <T>(fn: (ctx: op.OperationContext) => Promise<T>) => withOperations(fn, 15_000)

/**
 * `page`: the browser part in that page (the live target: an org's real pages); a function instead takes
 * the target to the callback its own way (the embedded emulator: its pages over HTTP, in memory).
 */
export function realTarget(name: TargetName, page: Page | ((target: FlowTarget) => Promise<Authorized>), target: FlowTarget, rotation: (on: boolean) => Promise<string | undefined>): ScenarioTarget {
  const expectRefreshToken = scopeAsksForRefreshToken(target.scope)
  return {
    name,
    async authorize() {
      const a = typeof page === 'function' ? await page(target) : await authorizeOnly(page, target)
      return { callback: a.callback, verifier: a.pkce.verifier }
    },
    exchange: (a) => withHttp((ctx) => op.exchangeCode(ctx, target, a.callback, { verifier: a.verifier, expectRefreshToken })),
    refresh: (rt) => withHttp((ctx) => op.refresh(ctx, target, rt)),
    revoke: (token) => withHttp((ctx) => op.revoke(ctx, target.loginUrl, token)),
    rotation,
  }
}
