/**
 * The protocol half of the web server flow: OAuth `state` and the PKCE pair, the authorize URL, the
 * callback through parseCallback, the code exchange through src/client, the checks. It knows nothing of
 * browsers: a user agent takes the authorize URL to the callback URL (src/flow/web-server-flow.ts gives
 * it a browser session). Protocol rules live in src/oauth; this module puts them in order and times them.
 */
import { exchangeCode, verifyOpenId, type OAuthClient } from '../client/operations.js'
import { runDirectly, type StepRunner } from '../steps.js'
import type { Exchange, Http } from '../http/client.js'
import { buildAuthorizeUrl } from '../oauth/authorize-url.js'
import { codeCheck, parseCallback, type ValidatedCallback } from '../oauth/callback.js'
import { createPkce, pkceCheck } from '../oauth/pkce.js'
import { createState } from '../oauth/state.js'
import { scopeAsksForRefreshToken } from '../oauth/token-request.js'
import type { Check, TokenSet } from '../oauth/types.js'
import { redactor } from '../redact.js'
import type { FlowTarget } from '../targets/flow-target.js'

/** One step of a flow as the CLI lists it: its name, how long it took and a detail (never a secret). */
export interface StepRecord {
  readonly name: string
  readonly durationMs: number
  readonly detail: string | undefined
}

/** What a flow tells `onEvent` as it goes: a step done, a check passed, a page reached, an HTTP exchange (raw: mask before printing). */
export type FlowEvent =
  | { readonly type: 'step'; readonly step: StepRecord }
  | { readonly type: 'check'; readonly check: Check }
  | { readonly type: 'exchange'; readonly exchange: Exchange }
  /** The browser's main frame reached this URL (raw: the sink must mask it), the callback included. */
  | { readonly type: 'page'; readonly url: string }

/** The steps and checks of one run, timed lap by lap, each told to `onEvent` as it happens. */
export class FlowLog {
  readonly steps: StepRecord[] = []
  readonly checks: Check[] = []
  /** When the run began (performance.now()), for its total duration. */
  readonly started = performance.now()
  readonly #onEvent: ((event: FlowEvent) => void) | undefined
  #t = performance.now()

  constructor(onEvent?: (event: FlowEvent) => void) {
    this.#onEvent = onEvent
  }

  emit(event: FlowEvent): void {
    this.#onEvent?.(event)
  }

  step(name: string, durationMs: number, detail?: string): void {
    const record = { name, durationMs: Math.round(durationMs * 10) / 10, detail }
    this.steps.push(record)
    this.emit({ type: 'step', step: record })
  }

  check(check: Check): void {
    this.checks.push(check)
    this.emit({ type: 'check', check })
  }

  /** Time since the last lap (or restart), and start the next. */
  lap(): number {
    const now = performance.now()
    const d = now - this.#t
    this.#t = now
    return d
  }

  /** Start the next lap now (what came before was timed elsewhere). */
  restart(): void {
    this.#t = performance.now()
  }
}

/** Whatever takes the user from the authorize URL to the redirect (a browser session, in this harness). */
export interface UserAgent {
  /** The callback URL the authorization server redirected to (with `code` or `error`). */
  authorize(authorizeUrl: string, oauthState: string): Promise<string>
  /** The callback passed parseCallback: keep what is wanted of the session, let the page go. */
  accepted?(): Promise<void>
}

export interface CodeFlowOptions {
  readonly target: FlowTarget
  readonly http: Http
  readonly log: FlowLog
  readonly prompt?: string | undefined
  readonly immediate?: boolean | undefined
  /** Runs each step (sf-oauth-harness/test: a boxed test.step named by intent); default: the step itself. */
  readonly steps?: StepRunner | undefined
}

export async function runCodeFlow(opts: CodeFlowOptions, agent: UserAgent): Promise<TokenSet> {
  const { target, log } = opts
  const run = opts.steps ?? runDirectly

  const openid = asksOpenId(target.scope)
  const { oauthState, nonce, pkce, authorizeUrl } = (() => {
    const oauthState = createState()
    // A nonce whenever openid is asked: the id_token must echo it (OpenID Connect Core §3.1.2.1, §3.1.3.7).
    const nonce = openid ? createState() : undefined
    const pkce = target.pkce ? createPkce() : undefined
    redactor.add(pkce?.verifier)
    const authorizeUrl = buildAuthorizeUrl({
      loginUrl: target.loginUrl,
      clientId: target.clientId,
      redirectUri: target.redirectUri,
      scope: target.scope,
      state: oauthState,
      codeChallenge: pkce?.challenge,
      prompt: opts.prompt,
      immediate: opts.immediate,
      nonce,
    }).toString()
    log.step('build authorize URL', log.lap(), pkce ? 'state + PKCE S256' : 'state, PKCE off')
    // Checked on the very string the browser is sent to, not on what we meant to build.
    log.check(pkceCheck(authorizeUrl, pkce))
    return { oauthState, nonce, pkce, authorizeUrl }
  })()

  const callbackUrl = await agent.authorize(authorizeUrl, oauthState)

  const callback = await (async () => {
    log.restart()
    // The code is a secret from the moment it exists; register it before parsing can throw.
    redactor.add(new URL(callbackUrl).searchParams.get('code'))
    const callback = parseCallback(callbackUrl, { redirectUri: target.redirectUri, state: oauthState })
    log.step('parse callback', log.lap(), 'state matches')
    log.check({ name: 'state', status: 'pass', detail: 'the callback echoes the state sent' })
    log.check(codeCheck(callback))
    await agent.accepted?.()
    return callback
  })()

  return redeemCode(log, { http: opts.http, client: target, scope: target.scope, callback, verifier: pkce?.verifier, nonce, steps: run })
}

export interface RedeemCodeOptions {
  readonly http: Http
  readonly client: OAuthClient
  readonly scope: string
  readonly callback: ValidatedCallback
  readonly verifier?: string | undefined
  /** The nonce sent: with openid in the scope, the id_token is checked against it. */
  readonly nonce?: string | undefined
  readonly steps?: StepRunner | undefined
}

/**
 * A checked callback to checked tokens: the token request (sent once), every check of the answer, and
 * with openid in the scope the id_token as a relying party checks it (OpenID Connect Core §3.1.3.7).
 * The flow and the by-hand commands (src/flow/by-hand.ts) both end here.
 */
export async function redeemCode(log: FlowLog, o: RedeemCodeOptions): Promise<TokenSet> {
  const run = o.steps ?? runDirectly
  const ctx = { http: o.http, secrets: redactor }
  const processed = await run('token request', () => exchangeCode(ctx, o.client, o.callback, {
    verifier: o.verifier,
    expectRefreshToken: scopeAsksForRefreshToken(o.scope),
    onAnswer: async (res) => {
      log.step('token request', log.lap(), `HTTP ${res.status}`)
      await run(`→ HTTP ${res.status}`, () => Promise.resolve())
    },
  }))
  log.step('validate token response', log.lap(), `${processed.checks.length} checks`)
  await run(`validate: ${processed.checks.length} checks`, async () => {
    for (const c of processed.checks) await run(`${c.name}: ${c.status}, ${c.detail}`, () => Promise.resolve())
  })
  for (const c of processed.checks) log.check(c)
  if (asksOpenId(o.scope)) {
    const oidc = await run('verify id_token', () => verifyOpenId(ctx, o.client, processed.tokens, { nonce: o.nonce }))
    log.step('verify id_token', log.lap(), `${oidc.length} checks (/id/keys, userinfo)`)
    for (const c of oidc) log.check(c)
  }
  return processed.tokens
}

/** Does the scope ask for OpenID Connect (then a nonce is sent and the id_token checked)? */
export const asksOpenId = (scope: string): boolean => scope.split(/\s+/).includes('openid')
