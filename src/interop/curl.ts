/**
 * The harness's requests as curl commands, to repeat a step by hand. Secrets are never written out: they
 * are shell references (`$SF_CLIENT_SECRET`, `$SF_REFRESH_TOKEN`, ...) inside double quotes, and
 * `--data-urlencode` encodes them as the harness does. Non-secret settings are written as configured.
 */
import { endpointsFor } from '../oauth/endpoints.js'

export interface CurlCommand {
  readonly name: string
  readonly description: string
  readonly command: string
}

export interface CurlSettings {
  /** Literal values or `$VAR` references. */
  readonly loginUrl: string
  readonly clientId: string
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

const q = (s: string) => (/^[A-Za-z0-9_./:@%=+-]+$/.test(s) ? s : `"${s.replace(/(["\\`])/g, '\\$1')}"`)
const data = (name: string, value: string) => `  --data-urlencode ${q(`${name}=${value}`)}`

export function curlCommands(s: CurlSettings): CurlCommand[] {
  const e = endpointsFor(s.loginUrl)
  const secret = s.hasSecret ? [data('client_secret', '$SF_CLIENT_SECRET')] : []
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
      `curl -sS -o /dev/null -w '%{http_code} %{redirect_url}\\n' -G ${q(e.authorize)}`,
      data('response_type', 'code'),
      data('client_id', s.clientId),
      data('redirect_uri', s.redirectUri),
      data('scope', s.scope),
      data('state', 'sf-oauth-curl'),
      ...(s.pkce ? [data('code_challenge', '$SF_CODE_CHALLENGE'), data('code_challenge_method', 'S256')] : []),
    ]),
  })
  out.push({
    name: 'token',
    description: 'exchange the code (single use, 15 minutes) for tokens',
    command: join([`curl -sS -X POST ${q(e.token)}`, data('grant_type', 'authorization_code'), data('code', '$SF_CODE'), data('client_id', s.clientId), ...secret, data('redirect_uri', s.redirectUri), ...(s.pkce ? [data('code_verifier', '$SF_CODE_VERIFIER')] : [])]),
  })
  out.push({
    name: 'refresh',
    description: 'the refresh grant (with Refresh Token Rotation, keep the new refresh_token: the old one is dead)',
    command: join([`curl -sS -X POST ${q(e.token)}`, data('grant_type', 'refresh_token'), data('refresh_token', '$SF_REFRESH_TOKEN'), data('client_id', s.clientId), ...secret]),
  })
  out.push({
    name: 'userinfo',
    description: 'who the access token belongs to',
    command: `curl -sS "$SF_INSTANCE_URL/services/oauth2/userinfo" \\\n  -H "Authorization: Bearer $SF_ACCESS_TOKEN"`,
  })
  out.push({
    name: 'revoke',
    description: 'revoke the refresh token (and its access tokens), freeing one of the 5 approvals per user per app',
    command: join([`curl -sS -X POST ${q(e.revoke)}`, data('token', '$SF_REFRESH_TOKEN'), "  -w '%{http_code}\\n'"]),
  })
  return out
}
