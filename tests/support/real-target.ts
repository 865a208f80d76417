/** The emulator and live targets: the harness's real operations (src/client/operations.ts) against a login URL. */
import type { Page } from 'playwright'
import * as op from '../../src/client/operations.js'
import { createHttp } from '../../src/http/client.js'
import { scopeAsksForRefreshToken } from '../../src/oauth/token-request.js'
import { redactor } from '../../src/redact.js'
import type { FlowTarget } from '../../src/targets/flow-target.js'
import type { ScenarioTarget, TargetName } from './scenarios.js'
import { authorizeOnly } from './steps.js'

async function withHttp<T>(fn: (ctx: op.OperationContext) => Promise<T>): Promise<T> {
  const http = createHttp({ timeoutMs: 15_000 })
  try {
    return await fn({ http, secrets: redactor })
  } finally {
    await http.close()
  }
}

export function realTarget(name: TargetName, page: Page, target: FlowTarget, rotation: (on: boolean) => Promise<string | undefined>): ScenarioTarget {
  const expectRefreshToken = scopeAsksForRefreshToken(target.scope)
  return {
    name,
    async authorize() {
      const a = await authorizeOnly(page, target)
      return { callback: a.callback, verifier: a.pkce.verifier }
    },
    exchange: (a) => withHttp((ctx) => op.exchangeCode(ctx, target, a.callback, { verifier: a.verifier, expectRefreshToken })),
    refresh: (rt) => withHttp((ctx) => op.refresh(ctx, target, rt)),
    revoke: (token) => withHttp((ctx) => op.revoke(ctx, target.loginUrl, token)),
    rotation,
  }
}
