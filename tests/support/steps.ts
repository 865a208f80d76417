/** Lower-level flow pieces for scenarios that stop between the callback and the token POST. */
import type { Page } from 'playwright'
import { authorizeInBrowser } from '../../src/browser/authorize.js'
import type { RunningEmulator } from '../../src/emulator/index.js'
import * as op from '../../src/client/operations.js'
import { createHttp } from '../../src/http/client.js'
import { buildAuthorizeUrl } from '../../src/oauth/authorize-url.js'
import { parseCallback, type ValidatedCallback } from '../../src/oauth/callback.js'
import { createPkce, type PkcePair } from '../../src/oauth/pkce.js'
import { createState } from '../../src/oauth/state.js'
import { redactor } from '../../src/redact.js'
import type { FlowTarget } from '../../src/targets/flow-target.js'
import { inMemoryFetch, personOverHttp } from './http-flow.js'

export interface Authorized {
  readonly callback: ValidatedCallback
  readonly pkce: PkcePair
}

/** Browser part only: returns the validated callback and the PKCE pair. */
export function authorizeOnly(page: Page, target: FlowTarget, loginUrl = target.loginUrl): Promise<Authorized> {
  return authorizeThrough((url) => authorizeInBrowser(page, { authorizeUrl: url, redirectUri: target.redirectUri, username: target.username, password: target.password, timeoutMs: 10_000 }), target, loginUrl)
}

/**
 * The same, with no browser: the emulator's login and consent pages over HTTP, in memory. For scenarios
 * about the code and the token endpoint, where no page logic is under test; the code is as real.
 */
export function authorizeOverHttpOnly(em: RunningEmulator, target: FlowTarget, loginUrl = target.loginUrl): Promise<Authorized> {
  return authorizeThrough((url) => personOverHttp(url, target, 'approve', inMemoryFetch(em)), target, loginUrl)
}

/** A fresh state and PKCE pair, the authorize URL, the user agent's callback, checked by parseCallback. */
async function authorizeThrough(agent: (authorizeUrl: string) => Promise<string>, target: FlowTarget, loginUrl: string): Promise<Authorized> {
  const state = createState()
  const pkce = createPkce()
  const url = buildAuthorizeUrl({ loginUrl, clientId: target.clientId, redirectUri: target.redirectUri, scope: target.scope, state, codeChallenge: pkce.challenge })
  return { callback: parseCallback(await agent(url.toString()), { redirectUri: target.redirectUri, state }), pkce }
}

/** Run operations with a fresh client (closed after) and the process-wide redactor as their secrets' sink. */
export async function withOperations<T>(fn: (ctx: op.OperationContext) => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const http = createHttp({ timeoutMs })
  try {
    return await fn({ http, secrets: redactor })
  } finally {
    await http.close()
  }
}

/** The token POST and its validation, as the flow does it (the operation the flow calls). */
export function exchange(loginUrl: string, target: FlowTarget, callback: ValidatedCallback, verifier: string | undefined): Promise<op.ExchangeResult> {
  return withOperations((ctx) => op.exchangeCode(ctx, { ...target, loginUrl }, callback, { verifier, expectRefreshToken: false }))
}

export function refresh(em: RunningEmulator, target: FlowTarget, refreshToken: string): Promise<op.RefreshResult> {
  return withOperations((ctx) => op.refresh(ctx, { ...target, loginUrl: em.url }, refreshToken))
}
