/**
 * The harness's requests as curl commands, to repeat a step by hand. Secrets are never written out: they
 * are shell references (`"$SF_CLIENT_SECRET"`, `"$SF_REFRESH_TOKEN"`, ...), the only text that expands,
 * and `--data-urlencode` encodes them as the harness does. Every configured value (login URL, client id,
 * redirect URI, scope) is a literal in single quotes, so nothing in it (`$(...)`, a backtick, a quote, a
 * `;`, a newline) runs when the command is pasted; each arrives byte for byte.
 */
import { ENDPOINT_PATHS, endpointsFor } from '../oauth/endpoints.js'

export interface CurlCommand {
  readonly name: string
  readonly description: string
  readonly command: string
}

export interface CurlSettings {
  /** Undefined: the commands refer to `$SF_LOGIN_URL` (the embedded emulator has no fixed port). */
  readonly loginUrl: string | undefined
  /** Undefined: the commands refer to `$SF_CLIENT_ID`. */
  readonly clientId: string | undefined
  readonly redirectUri: string
  readonly scope: string
  readonly pkce: boolean
  readonly hasSecret: boolean
}

/** Variables the commands refer to; which ones each user must set. */
export const CURL_VARIABLES: Readonly<Record<string, string>> = {
  SF_CLIENT_SECRET: "the app's consumer secret",
  SF_CODE_VERIFIER: 'the PKCE verifier (the first command makes one)',
  SF_CODE_CHALLENGE: 'its S256 challenge (made with it)',
  SF_CODE: 'the code from the callback URL, percent-decoded once',
  SF_REFRESH_TOKEN: 'refresh_token of the token answer',
  SF_ACCESS_TOKEN: 'access_token of the token answer',
  SF_INSTANCE_URL: 'instance_url of the token answer',
}

/** A shell variable reference, the one part of a word that expands. */
export interface Ref {
  readonly ref: string
}
export type WordPart = string | Ref
const ref = (name: string): Ref => ({ ref: name })

// Written bare: nothing here is special to bash (no globbing, expansion, history or word splitting).
const BARE = /^[A-Za-z0-9_./:@%=+,-]+$/
// Safe inside double quotes next to a reference: no $, backtick, backslash, double quote or ! (history).
const IN_DOUBLE_QUOTES = /^[A-Za-z0-9_./:@%=+, -]*$/
// What a terminal or the shell's line editor would act on, even inside single quotes: written as escapes
// inside $'...' (bash, zsh and ksh read it) so the pasted text holds no raw control character.
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNPRINTABLE = /[\x00-\x1f\x7f-\x9f\p{Cf}\u2028\u2029]/u

function ansiC(s: string): string {
  let out = ''
  for (const ch of s) {
    if (ch === '\\' || ch === "'") out += `\\${ch}`
    else if (ch === '!') out += '\\x21'
    // UTF-8 bytes, so the value does not depend on the shell's locale (\u does).
    else if (UNPRINTABLE.test(ch)) out += [...Buffer.from(ch, 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')
    else out += ch
  }
  return `$'${out}'`
}

/** A literal as one shell word: bare when harmless, else single-quoted (' as '\''), else $'...'. */
export function shellQuote(s: string): string {
  if (BARE.test(s)) return s
  if (UNPRINTABLE.test(s)) return ansiC(s)
  return `'${s.replace(/'/g, "'\\''")}'`
}

/**
 * One shell word of literals and references. `"client_secret=$SF_CLIENT_SECRET"` when the literals are
 * plain, else the literals single-quoted and the references double-quoted side by side.
 */
export function shellWord(...parts: readonly WordPart[]): string {
  if (parts.every((p): p is string => typeof p === 'string')) return shellQuote(parts.join(''))
  if (parts.every((p) => typeof p !== 'string' || IN_DOUBLE_QUOTES.test(p))) {
    return `"${parts.map((p, i) => (typeof p === 'string' ? p : /^[A-Za-z0-9_]/.test(stringAt(parts, i + 1)) ? `\${${p.ref}}` : `$${p.ref}`)).join('')}"`
  }
  return parts.filter((p) => p !== '').map((p) => (typeof p === 'string' ? shellQuote(p) : `"$${p.ref}"`)).join('')
}

function stringAt(parts: readonly WordPart[], i: number): string {
  const p = parts[i]
  return typeof p === 'string' ? p : p === undefined ? '' : '$'
}

const data = (name: string, ...value: WordPart[]) => `  --data-urlencode ${shellWord(`${name}=`, ...value)}`

export function curlCommands(s: CurlSettings): CurlCommand[] {
  const base: WordPart[] = s.loginUrl === undefined ? [ref('SF_LOGIN_URL')] : []
  const path = s.loginUrl === undefined ? ENDPOINT_PATHS : endpointsFor(s.loginUrl)
  const url = (endpoint: string) => shellWord(...base, endpoint)
  const e = { authorize: url(path.authorize), token: url(path.token), revoke: url(path.revoke) }
  const clientId: WordPart = s.clientId ?? ref('SF_CLIENT_ID')
  const secret = s.hasSecret ? [data('client_secret', ref('SF_CLIENT_SECRET'))] : []
  const join = (lines: string[]) => lines.join(' \\\n')
  const out: CurlCommand[] = []
  if (s.pkce) {
    out.push({
      name: 'pkce',
      description: 'make a PKCE verifier and its S256 challenge (RFC 7636 §4.1, §4.2)',
      command: [
        "export SF_CODE_VERIFIER=\"$(openssl rand -base64 48 | tr '+/' '-_' | tr -d '=\\n')\"",
        "export SF_CODE_CHALLENGE=\"$(printf %s \"$SF_CODE_VERIFIER\" | openssl dgst -sha256 -binary | openssl base64 | tr '+/' '-_' | tr -d '=\\n')\"",
      ].join('\n'),
    })
  }
  out.push({
    name: 'authorize',
    description: 'the authorize URL: open it in a browser and log in; without a session Salesforce answers 302 to its login page (a plain-text error names a bad client_id or redirect_uri)',
    command: join([
      `curl -sS -o /dev/null -w '%{http_code} %{redirect_url}\\n' -G ${e.authorize}`,
      data('response_type', 'code'),
      data('client_id', clientId),
      data('redirect_uri', s.redirectUri),
      data('scope', s.scope),
      data('state', 'sf-oauth-curl'),
      ...(s.pkce ? [data('code_challenge', ref('SF_CODE_CHALLENGE')), data('code_challenge_method', 'S256')] : []),
    ]),
  })
  out.push({
    name: 'token',
    description: 'exchange the code (single use, 15 minutes) for tokens',
    command: join([`curl -sS -X POST ${e.token}`, data('grant_type', 'authorization_code'), data('code', ref('SF_CODE')), data('client_id', clientId), ...secret, data('redirect_uri', s.redirectUri), ...(s.pkce ? [data('code_verifier', ref('SF_CODE_VERIFIER'))] : [])]),
  })
  out.push({
    name: 'refresh',
    description: 'the refresh grant (with Refresh Token Rotation, keep the new refresh_token: the old one is dead)',
    command: join([`curl -sS -X POST ${e.token}`, data('grant_type', 'refresh_token'), data('refresh_token', ref('SF_REFRESH_TOKEN')), data('client_id', clientId), ...secret]),
  })
  out.push({
    name: 'userinfo',
    description: 'who the access token belongs to',
    command: `curl -sS "$SF_INSTANCE_URL/services/oauth2/userinfo" \\\n  -H "Authorization: Bearer $SF_ACCESS_TOKEN"`,
  })
  out.push({
    name: 'revoke',
    description: 'revoke the refresh token (and its access tokens), freeing one of the 5 approvals per user per app',
    command: join([`curl -sS -X POST ${e.revoke}`, data('token', ref('SF_REFRESH_TOKEN')), "  -w '%{http_code}\\n'"]),
  })
  return out
}
