/**
 * Drives the emulator's pages in memory (emulator.request: Request → Response, no socket, no browser):
 * authorize → login → consent → callback Location. For endpoint tests that need a real code quickly.
 */
import type { RunningEmulator } from '../../src/emulator/index.js'
import { challengeFor } from '../../src/oauth/pkce.js'

export const REDIRECT = 'http://localhost:1717/OauthRedirect'

export interface HttpAuthorize {
  readonly clientId?: string
  readonly redirectUri?: string
  readonly scope?: string | null
  readonly state?: string
  readonly verifier?: string
  readonly method?: string | null
  readonly decision?: 'approve' | 'deny'
  /** The fetch to use (the https emulator's trusting one); default the global fetch. */
  readonly fetch?: typeof fetch
  /** More authorize parameters (nonce, max_age, prompt, …). */
  readonly extra?: Readonly<Record<string, string>>
}

async function get(url: string, cookie = '', f: typeof fetch = fetch): Promise<Response> {
  return f(url, { redirect: 'manual', headers: cookie ? { cookie } : {} })
}

/** Returns the Location of the final redirect to the callback. */
export function authorizeOverHttp(em: RunningEmulator, o: HttpAuthorize = {}): Promise<string> {
  const seed = em.app.seed
  const u = new URL(`${em.url}/services/oauth2/authorize`)
  u.searchParams.set('response_type', 'code')
  u.searchParams.set('client_id', o.clientId ?? seed.app.clientId)
  u.searchParams.set('redirect_uri', o.redirectUri ?? REDIRECT)
  if (o.scope !== null) u.searchParams.set('scope', o.scope ?? 'api refresh_token')
  u.searchParams.set('state', o.state ?? 'st')
  if (o.verifier !== undefined) {
    u.searchParams.set('code_challenge', o.method === 'plain' ? o.verifier : challengeFor(o.verifier))
    if (o.method !== null) u.searchParams.set('code_challenge_method', o.method ?? 'S256')
  }
  for (const [k, v] of Object.entries(o.extra ?? {})) u.searchParams.set(k, v)
  // In memory (the emulator's request()) unless the caller brings its own fetch (a TLS emulator over its socket).
  return personOverHttp(u.toString(), seed.user, o.decision, o.fetch ?? inMemoryFetch(em))
}

export function codeFrom(location: string): string {
  return new URL(location).searchParams.get('code') ?? ''
}

export async function postToken(em: RunningEmulator, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: Record<string, string>; text: string }> {
  const res = await em.request(`${em.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  })
  const text = await res.text()
  let body: Record<string, string> = {}
  try {
    body = JSON.parse(text) as Record<string, string>
  } catch {
    // not JSON: the test looks at text
  }
  return { status: res.status, headers: res.headers, body, text }
}

/** The emulator's request() as a fetch: in memory, no socket. */
export function inMemoryFetch(em: RunningEmulator): typeof fetch {
  return (input, init) => em.request(input instanceof Request ? input : String(input), init)
}

/**
 * A person at a browser, over plain HTTP: follows an authorize URL the harness made (login, then Allow or
 * Deny) and returns the Location of the redirect to the callback, which a browser would then request.
 * An error redirected to the callback at once comes back as it is. `f`: the fetch to use (in memory, or
 * the https emulator's trusting one); default the global fetch.
 */
export async function personOverHttp(authorizeUrl: string, user: { readonly username: string; readonly password: string }, decision: 'approve' | 'deny' = 'approve', f: typeof fetch = fetch): Promise<string> {
  const origin = new URL(authorizeUrl).origin
  const toLogin = await get(authorizeUrl, '', f)
  const next = new URL(toLogin.headers.get('location') ?? '', origin)
  // Straight to the callback (an error redirected there): no login page.
  if (next.origin !== origin) return next.toString()
  const startURL = next.searchParams.get('startURL') ?? ''
  const login = await f(`${origin}/`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: user.username, pw: user.password, startURL }),
  })
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const consentUrl = new URL(login.headers.get('location') ?? '', origin)
  const consent = await get(consentUrl.toString(), cookie, f)
  if (consent.status === 302) return consent.headers.get('location') ?? ''
  const decided = await f(consentUrl.origin + consentUrl.pathname, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ source: consentUrl.searchParams.get('source') ?? '', ...(decision === 'deny' ? { oadeny: ' Deny ' } : { oaapprove: ' Allow ' }) }),
  })
  return decided.headers.get('location') ?? ''
}
