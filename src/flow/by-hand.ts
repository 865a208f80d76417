/**
 * The web server flow with a person at the browser: no robot logs in, so no Playwright and no password.
 * The harness makes the authorize request (state, PKCE S256), the person logs in however the org asks
 * (SSO, MFA, a passkey) and clicks Allow, and the redirected URL comes back either to a loopback server
 * (`sf-oauth login`) or pasted (`authorize-url --pending` then `exchange --pending`). From the callback on,
 * everything is what `flow` does: parseCallback (state), the code check, the token request, every check
 * of the answer; then the identity URL names the user (there is no SF_USERNAME to save with the tokens).
 * This module imports no browser automation: tests/architecture/by-hand.spec.ts walks its import graph.
 */
import { startCallbackServer, type CallbackAnswer } from '../browser/callback-server.js'
import { openUrl } from '../browser/open-url.js'
import { identity, type OAuthClient } from '../client/operations.js'
import { HarnessError, InfraError } from '../errors.js'
import { createHttp, type Http, type ProxySettings } from '../http/client.js'
import { authorizeRefusalError, matchesRedirectUri, processAuthorizeResponse } from '../oauth/authorize-response.js'
import { buildAuthorizeUrl } from '../oauth/authorize-url.js'
import { codeCheck, originAndPath, parseCallback } from '../oauth/callback.js'
import { isLoopbackHost, isSalesforceHost, sameLoginUrl } from '../oauth/hosts.js'
import { challengeFor, createPkce, pkceCheck } from '../oauth/pkce.js'
import { createState } from '../oauth/state.js'
import { mask, redactor } from '../redact.js'
import type { PendingAuthorization } from '../store/pending-file.js'
import type { FlowSettings } from '../targets/flow-target.js'
import { asksOpenId, FlowLog, redeemCode, type FlowEvent } from './code-flow.js'
import type { FlowResult } from './web-server-flow.js'

/** An authorization code lives 15 minutes (docs/salesforce-oauth.md §1.4); so does a pending authorize request. */
export const PENDING_LIFETIME_MS = 15 * 60_000

/** The app, the login host and how to ask: no user, no password. */
export interface HandTarget extends OAuthClient, FlowSettings {}

/** One authorize request: the URL the person opens, and what its answer is checked and redeemed with. */
export interface AuthorizeRequest {
  readonly url: string
  readonly state: string
  readonly verifier: string | undefined
  /** OpenID Connect nonce, when the scope asks for openid: the id_token must echo it. */
  readonly nonce?: string | undefined
}

/** A flow's result, and the user the identity URL named. */
export interface HandResult extends FlowResult {
  readonly username: string
}

/** State, PKCE pair and authorize URL; the pkce check runs on the very string the person is sent to. */
export function beginAuthorization(target: HandTarget, rec: FlowLog): AuthorizeRequest {
  const state = createState()
  const pkce = target.pkce ? createPkce() : undefined
  redactor.add(pkce?.verifier)
  // A nonce whenever openid is asked, as `flow` sends one (OpenID Connect Core §3.1.2.1).
  const nonce = asksOpenId(target.scope) ? createState() : undefined
  const url = buildAuthorizeUrl({ loginUrl: target.loginUrl, clientId: target.clientId, redirectUri: target.redirectUri, scope: target.scope, state, codeChallenge: pkce?.challenge, nonce }).toString()
  rec.step('build authorize URL', rec.lap(), pkce ? 'state + PKCE S256' : 'state, PKCE off')
  rec.check(pkceCheck(url, pkce))
  return { url, state, verifier: pkce?.verifier, nonce }
}


/** What authorize-url writes to the pending file. */
export function toPending(target: HandTarget, req: AuthorizeRequest, nowMs: number): PendingAuthorization {
  return {
    version: 1,
    loginUrl: target.loginUrl,
    clientId: target.clientId,
    redirectUri: target.redirectUri,
    scope: target.scope,
    authorizeUrl: req.url,
    state: req.state,
    codeVerifier: req.verifier ?? null,
    nonce: req.nonce ?? null,
    createdAt: new Date(nowMs).toISOString(),
    expiresAt: new Date(nowMs + PENDING_LIFETIME_MS).toISOString(),
  }
}

/**
 * The authorize request a pending file holds, once it is known to belong to this configuration (the
 * file is input: it must not choose where the client secret goes) and not to be expired.
 */
export function fromPending(p: PendingAuthorization, target: HandTarget, nowMs: number, rec: FlowLog, path: string): AuthorizeRequest {
  redactor.add(p.codeVerifier ?? undefined)
  const differs: string[] = []
  if (!sameLoginUrl(p.loginUrl, target.loginUrl)) differs.push(`login URL ${p.loginUrl} (SF_LOGIN_URL is ${target.loginUrl})`)
  if (p.clientId !== target.clientId) differs.push(`client id ${mask(p.clientId)} (SF_CLIENT_ID is ${mask(target.clientId)})`)
  if (p.redirectUri !== target.redirectUri) differs.push(`redirect URI ${p.redirectUri} (SF_REDIRECT_URI is ${target.redirectUri})`)
  if (p.scope !== target.scope) differs.push(`scope "${p.scope}" (SF_SCOPE is "${target.scope}")`)
  if ((p.codeVerifier !== null) !== target.pkce) differs.push(`PKCE ${p.codeVerifier === null ? 'off' : 'on'} (SF_PKCE is ${target.pkce ? 'on' : 'off'})`)
  if (differs.length > 0) {
    throw new HarnessError('PENDING_CONFIG_MISMATCH', `pending file ${path} was written for ${differs.join(', ')}: run exchange with the SF_* values authorize-url ran with, or run authorize-url again`)
  }
  const expires = Date.parse(p.expiresAt)
  if (nowMs >= expires) {
    const ago = Math.round((nowMs - Date.parse(p.createdAt)) / 60_000)
    throw new HarnessError('PENDING_EXPIRED', `pending file ${path} was written ${ago} minutes ago, and an authorization code lives 15: nothing was sent; run sf-oauth authorize-url --pending ${path} again and paste the redirected URL within 15 minutes`, { cause: { createdAt: p.createdAt, expiresAt: p.expiresAt } })
  }
  const pkce = p.codeVerifier === null ? undefined : { verifier: p.codeVerifier, challenge: challengeFor(p.codeVerifier), method: 'S256' as const }
  rec.step('read pending file', rec.lap(), `written ${Math.max(0, Math.round((nowMs - Date.parse(p.createdAt)) / 1000))} s ago, expires in ${Math.round((expires - nowMs) / 1000)} s`)
  rec.check(pkceCheck(p.authorizeUrl, pkce))
  return { url: p.authorizeUrl, state: p.state, verifier: p.codeVerifier ?? undefined, nonce: p.nonce ?? undefined }
}

/** What was pasted: the redirected URL, or the code alone. */
export type Pasted = { readonly kind: 'url'; readonly url: string } | { readonly kind: 'code'; readonly code: string }

const CODE_RE = /^[A-Za-z0-9._~+/=%-]{20,400}$/

function pasteInvalid(why: string, redirectUri: string): HarnessError {
  return new HarnessError('PASTE_INVALID', `${why}: paste the whole address the browser reached after Allow (it starts with ${originAndPath(redirectUri)}), once, then Enter`)
}

/** Read the pasted text (pure). Quotes and angle brackets a terminal or chat added are dropped. */
export function readPasted(text: string, redirectUri: string): Pasted {
  const lines = text.split(/\r?\n/).map((l) => l.trim().replace(/^(['"<])(.*)(['">])$/, '$2')).filter((l) => l !== '')
  if (lines.length === 0) throw pasteInvalid('nothing was pasted', redirectUri)
  if (lines.length > 1) throw pasteInvalid(`${lines.length} lines were pasted, where one address is due (pasted twice?)`, redirectUri)
  const line = lines[0] ?? ''
  const at = originAndPath(redirectUri)
  if (line.split(at).length > 2 || (line.match(/[?&]code=/g)?.length ?? 0) > 1) throw pasteInvalid('the address was pasted twice into one line', redirectUri)
  if (/^[a-z][a-z0-9+.-]*:/i.test(line) && URL.canParse(line)) {
    if (!matchesRedirectUri(line, redirectUri)) {
      const what = new URL(line).pathname.endsWith('/services/oauth2/authorize') ? 'that is the authorize URL itself: open it in a browser, log in and click Allow, then paste where the browser ends' : `the pasted address is at ${originAndPath(line)}, not at SF_REDIRECT_URI`
      throw pasteInvalid(what, redirectUri)
    }
    return { kind: 'url', url: line }
  }
  if (/\s/.test(line) || !CODE_RE.test(line)) throw pasteInvalid('what was pasted is neither an address nor an authorization code', redirectUri)
  return { kind: 'code', code: line }
}

/**
 * The pasted URL's `state` must be this request's, else it answers another authorize request (an older
 * tab, another run of authorize-url): PASTE_OTHER_REQUEST before anything is sent. A bare code has no
 * state; it is accepted with a warning check.
 */
export function pastedCallback(p: Pasted, req: AuthorizeRequest, redirectUri: string, path: string): { url: string; bare: boolean } {
  if (p.kind === 'code') {
    const code = p.code.includes('%') ? safeDecode(p.code) : p.code
    redactor.add(code)
    redactor.add(p.code)
    const u = new URL(redirectUri)
    u.searchParams.set('code', code)
    u.searchParams.set('state', req.state)
    return { url: u.toString(), bare: true }
  }
  redactor.add(new URL(p.url).searchParams.get('code'))
  const state = new URL(p.url).searchParams.get('state')
  if (state !== null && state !== req.state) {
    throw new HarnessError('PASTE_OTHER_REQUEST', `the pasted URL answers another authorize request: its "state" is not the one in ${path}; paste the address reached from the URL authorize-url printed for ${path}, or run authorize-url again`, { cause: { expected: mask(req.state), got: mask(state) } })
  }
  return { url: p.url, bare: false }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

export interface RedeemOptions {
  readonly target: HandTarget
  readonly request: AuthorizeRequest
  readonly callbackUrl: string
  /** A bare code was pasted: the state was not compared. */
  readonly bare?: boolean
  readonly http: Http
  readonly rec: FlowLog
  /** Called once the callback is accepted, right before the code is sent (a code is redeemed once). */
  readonly beforeSend?: () => Promise<void>
}

/** From the callback URL to checked tokens and the user's name: what `flow` does after the browser. */
export async function redeem(o: RedeemOptions): Promise<HandResult> {
  const { target, rec } = o
  redactor.add(target.clientSecret)
  // The code is a secret from the moment it exists; registered before parsing can throw.
  if (URL.canParse(o.callbackUrl)) redactor.add(new URL(o.callbackUrl).searchParams.get('code'))
  rec.emit({ type: 'page', url: o.callbackUrl })
  const callback = parseCallback(o.callbackUrl, { redirectUri: target.redirectUri, state: o.request.state })
  rec.step('parse callback', rec.lap(), o.bare === true ? 'a bare code: no state to compare' : 'state matches')
  rec.check(o.bare === true
    ? { name: 'state', status: 'warn', detail: 'a bare code was pasted, so its state could not be compared: paste the whole URL to have it checked' }
    : { name: 'state', status: 'pass', detail: 'the callback echoes the state sent' })
  rec.check(codeCheck(callback))
  await o.beforeSend?.()
  const tokens = await redeemCode(rec, { http: o.http, client: target, scope: target.scope, callback, verifier: o.request.verifier, nonce: o.request.nonce })
  const ctx = { http: o.http, secrets: redactor }
  let username = tokens.userId
  const idHost = new URL(tokens.id).hostname
  // The access token goes only to a Salesforce host or to the login host itself (the emulator on loopback).
  if (isSalesforceHost(idHost) || (isLoopbackHost(idHost) && new URL(tokens.id).origin === new URL(target.loginUrl).origin)) {
    const who = await identity(ctx, tokens.id, tokens.accessToken)
    rec.step('identity URL', rec.lap(), who.username)
    username = who.username
    rec.check(who.userId === tokens.userId && who.organizationId === tokens.orgId
      ? { name: 'identity', status: 'pass', detail: `the identity URL names ${who.username}, the user and org of the token answer` }
      : { name: 'identity', status: 'warn', detail: `the identity URL names user ${who.userId} of org ${who.organizationId}, the token answer ${tokens.userId} of ${tokens.orgId}` })
  } else {
    rec.check({ name: 'identity', status: 'skip', detail: `the identity URL ${originAndPath(tokens.id)} is not a Salesforce host: not asked; the user id stands for the username` })
  }
  return { tokens, steps: rec.steps, checks: rec.checks, durationMs: Math.round(performance.now() - rec.started), username }
}

/** The page the person's browser shows at the callback (`sf-oauth login`): success, or Salesforce's error and its meaning. */
export function callbackAnswer(callbackUrl: string, redirectUri: string, state: string): CallbackAnswer {
  const a = processAuthorizeResponse({ from: 'url', url: callbackUrl }, redirectUri)
  const ours = (a.kind === 'callback' || a.kind === 'redirect-error') && a.state === state
  if (!ours) {
    return { ok: false, final: false, title: 'Not the answer sf-oauth is waiting for', text: 'This request does not carry the state of the login started in the terminal, so it is ignored: finish the login opened from the URL the terminal printed.' }
  }
  if (a.kind === 'redirect-error') {
    const err = authorizeRefusalError(a)
    return { ok: false, final: true, title: 'Salesforce refused the authorization', text: `${err.code}: ${err.message}` }
  }
  return { ok: true, final: true, title: 'Authorization received', text: 'You can close this tab: sf-oauth exchanges the code and checks the tokens in the terminal.' }
}

export interface LoginOptions {
  readonly target: HandTarget
  readonly timeoutMs: number
  /** For its own HTTP client (no `http` given): the config's proxies. */
  readonly proxies?: ProxySettings | undefined
  /** How long to wait for the person (login --wait). */
  readonly waitMs: number
  /** The opener (argv; the URL is appended), or undefined with --no-open. `explicit`: --open-with, whose failure ends the run. */
  readonly opener: { readonly argv: readonly string[]; readonly verbatim: boolean; readonly explicit: boolean } | undefined
  /** Told the URL the person opens (printed by the command), once the callback server listens. */
  readonly onUrl: (url: string) => void
  /** A note for the person (the platform opener failed: open the URL yourself). */
  readonly onNote: (text: string) => void
  readonly onEvent?: (e: FlowEvent) => void
  readonly http?: Http
  /** When the wait is over (tests end it without waiting); default: waitMs from now. */
  readonly deadline?: Promise<void>
}

/** `sf-oauth login`: listen on the redirect URI's port, open the URL, wait for the person, redeem. */
export async function runLogin(o: LoginOptions): Promise<HandResult> {
  const rec = new FlowLog(o.onEvent)
  const req = beginAuthorization(o.target, rec)
  const server = await startCallbackServer(o.target.redirectUri, { answer: (url) => callbackAnswer(url, o.target.redirectUri, req.state) })
  rec.step('listen on redirect URI', rec.lap(), originAndPath(o.target.redirectUri))
  const http = o.http ?? createHttp({ timeoutMs: o.timeoutMs, proxies: o.proxies, onExchange: (exchange) => rec.emit({ type: 'exchange', exchange }) })
  let timer: NodeJS.Timeout | undefined
  try {
    o.onUrl(req.url)
    const waits: Array<Promise<string>> = [server.url]
    if (o.opener !== undefined) {
      const { argv, explicit } = o.opener
      const outcome = openUrl(argv, req.url, o.opener.verbatim)
      if (explicit) {
        waits.push(outcome.then((r) => {
          if (r.ok) return new Promise<string>(() => undefined)
          throw new InfraError('OPEN_WITH_FAILED', `--open-with: ${r.reason}, before the browser reached SF_REDIRECT_URI: check the command (the URL is its last argument), or use --no-open and open the URL yourself`)
        }))
      } else {
        void outcome.then((r) => { if (!r.ok) o.onNote(`could not open a browser (${r.reason}): open the URL above yourself`) })
      }
    }
    const over = o.deadline ?? new Promise<void>((resolve) => { timer = setTimeout(resolve, o.waitMs) })
    waits.push(over.then(() => {
      throw new InfraError('LOGIN_WAIT_TIMEOUT', `the browser did not reach ${originAndPath(o.target.redirectUri)} within --wait ${Math.round(o.waitMs / 1000)} s: log in and click Allow sooner, or raise --wait`)
    }))
    rec.restart()
    const callbackUrl = await Promise.race(waits)
    clearTimeout(timer)
    rec.step('callback', rec.lap(), 'the browser reached SF_REDIRECT_URI')
    return await redeem({ target: o.target, request: req, callbackUrl, http, rec })
  } finally {
    clearTimeout(timer)
    await server.close()
    if (o.http === undefined) await http.close()
  }
}
