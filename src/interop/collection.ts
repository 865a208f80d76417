/**
 * The harness's requests as a tool-neutral collection, for `sf-oauth export postman|bruno`: authorize URL
 * (the browser step), code exchange, userinfo, identity URL, introspect, refresh, revoke, each with test
 * scripts that assert what the harness's own checks assert (src/oauth/token-response.ts,
 * src/oauth/other-responses.ts). Every secret is a `{{variable}}`, never a value: the collection holds no
 * secret, whoever runs it fills them in. Pure code: the exporters render it, the CLI writes the files.
 *
 * Scripts are written once against a small `sf` object (status, header, body, get/set of variables,
 * check, HMAC); each exporter puts its tool's prelude in front (Postman's `pm`, Bruno's `res`/`bru`), so
 * both tools run the same assertions.
 */
import { ORG_ID, USER_ID } from '../credentials/shapes.js'
import { ENDPOINT_PATHS } from '../oauth/endpoints.js'

export interface CollectionVariable {
  readonly key: string
  /** Empty for every secret: the user fills it in, in the tool. */
  readonly value: string
  readonly secret: boolean
  readonly description: string
}

export interface CollectionRequest {
  /** File-name safe: letters, digits, spaces and hyphens. */
  readonly name: string
  readonly description: string
  readonly method: 'GET' | 'POST'
  /** With `{{variables}}`; no query (that is `query`). */
  readonly url: string
  readonly query: readonly (readonly [string, string])[]
  readonly headers: readonly (readonly [string, string])[]
  /** application/x-www-form-urlencoded body, when set. */
  readonly form: readonly (readonly [string, string])[] | undefined
  readonly followRedirects: boolean
  /** Lines of the neutral script run before the request (may be empty). */
  readonly preRequest: readonly string[]
  /** Lines of the neutral test script. */
  readonly tests: readonly string[]
}

export interface CollectionSettings {
  /** Undefined: the variable `login_url` is left for the user to fill in. */
  readonly loginUrl: string | undefined
  readonly clientId: string | undefined
  readonly redirectUri: string
  readonly scope: string
  readonly pkce: boolean
}

export const COLLECTION_NAME = 'sf-oauth: Salesforce OAuth 2.0 web server flow'

/** The variables, in the order a user meets them. Secrets are empty and marked secret. */
export function collectionVariables(s: CollectionSettings): CollectionVariable[] {
  const v = (key: string, value: string, secret: boolean, description: string): CollectionVariable => ({ key, value, secret, description })
  return [
    v('login_url', s.loginUrl ?? '', false, 'the login host, e.g. https://login.salesforce.com or https://MyDomain.my.salesforce.com'),
    v('client_id', s.clientId ?? '', false, "the Connected App's consumer key"),
    v('client_secret', '', true, "the Connected App's consumer secret (fill in; keeps the signature check)"),
    v('redirect_uri', s.redirectUri, false, "the app's callback URL, exactly as registered"),
    v('scope', s.scope, false, 'the scopes asked for'),
    v('state', '', false, 'made by the authorize request when empty'),
    v('code_verifier', '', true, 'the PKCE verifier: made by the authorize request when empty'),
    v('code_challenge', '', false, 'its S256 challenge, made by the authorize request'),
    v('code', '', true, 'the code from the browser redirect to redirect_uri, percent-decoded once'),
    v('access_token', '', true, 'set by the code exchange and the refresh'),
    v('refresh_token', '', true, 'set by the code exchange (and by the refresh under rotation)'),
    v('instance_url', '', false, 'set by the code exchange'),
    v('id_url', '', false, 'the identity URL (the answer\'s "id"), set by the code exchange'),
  ]
}

const q = JSON.stringify
const ID_PATH = `^https?://[^/]+/id/(${ORG_ID.source})/(${USER_ID.source})$`

/** What the harness checks of a token answer (processTokenResponse), as neutral script lines. */
function tokenTests(grant: 'authorization_code' | 'refresh_token'): string[] {
  return [
    "sf.check('HTTP status is 200', () => sf.ok(sf.status() === 200, 'HTTP ' + sf.status() + ': see the error and error_description of the answer'));",
    "sf.check('content type is application/json', () => sf.ok(/^application\\/json\\b/i.test(sf.header('content-type') || ''), 'content type is not application/json'));",
    'const b = sf.body();',
    "sf.check('every field is a non-empty string', () => { for (const k of Object.keys(b)) sf.ok(typeof b[k] === 'string' && b[k] !== '', k + ' is not a non-empty string'); });",
    "sf.check('access_token is present', () => sf.ok(typeof b.access_token === 'string' && b.access_token !== '', 'access_token is missing'));",
    ...(grant === 'authorization_code'
      ? ["sf.check('refresh_token is present when the scope asks for it', () => sf.ok(!/(^|\\s)(refresh_token|offline_access)(\\s|$)/.test(sf.get('scope') || '') || typeof b.refresh_token === 'string', 'no refresh_token: the app or the scope lacks refresh_token/offline_access'));"]
      : []),
    `const idMatch = new RegExp(${q(ID_PATH)}).exec(typeof b.id === 'string' ? b.id : '');`,
    "sf.check('id is <host>/id/<00D org id>/<005 user id>', () => sf.ok(idMatch !== null, 'id is not an identity URL'));",
    "sf.check('instance_url is an https URL (http only on loopback)', () => sf.ok(/^https:\\/\\/[^/]+\\/?$/.test(b.instance_url || '') || /^http:\\/\\/(127\\.0\\.0\\.1|localhost|\\[::1\\])(:\\d+)?\\/?$/.test(b.instance_url || ''), 'instance_url is not an https origin'));",
    "sf.check('id, instance_url and access_token belong to one org', () => { sf.ok(idMatch !== null && typeof b.instance_url === 'string', 'id or instance_url missing'); sf.ok(!/^00D/.test(b.access_token || '') || b.access_token.slice(0, 15) === idMatch[1].slice(0, 15), 'access_token is a session of another org than id'); });",
    "sf.check('token_type is Bearer', () => sf.ok(b.token_type === 'Bearer', 'token_type is not Bearer'));",
    "sf.check('issued_at is epoch milliseconds (13 digits)', () => sf.ok(/^\\d{13}$/.test(b.issued_at || ''), 'issued_at is not 13 digits of epoch ms'));",
    "sf.check('scope is present', () => sf.ok(typeof b.scope === 'string' && b.scope !== '', 'scope is missing'));",
    "sf.check('signature is a base64 HMAC-SHA256 (44 characters)', () => sf.ok(/^[A-Za-z0-9+/]{43}=$/.test(b.signature || ''), 'signature is not 44 base64 characters'));",
    // Salesforce's signature: base64(HMAC-SHA256(client secret, id + issued_at)) (docs/salesforce-oauth.md §4).
    "sf.check('signature verifies: HMAC-SHA256(client_secret, id + issued_at)', () => sf.ok(sf.hmac(sf.get('client_secret') || '', String(b.id) + String(b.issued_at)) === b.signature, 'signature does not verify with client_secret: the answer was altered, or client_secret belongs to another app'));",
    "sf.check('no expires_in (Salesforce sends none)', () => sf.ok(!('expires_in' in b), 'expires_in is present: is login_url really Salesforce?'));",
    'if (typeof b.access_token === \'string\') sf.set(\'access_token\', b.access_token);',
    'if (typeof b.refresh_token === \'string\') sf.set(\'refresh_token\', b.refresh_token);',
    'if (typeof b.instance_url === \'string\') sf.set(\'instance_url\', b.instance_url.replace(/\\/$/, \'\'));',
    'if (typeof b.id === \'string\') sf.set(\'id_url\', b.id);',
  ]
}

/** The identity service (userinfo, identity URL): JSON of the user the id URL names. */
function identityTests(userKey: 'sub' | 'id'): string[] {
  return [
    "sf.check('HTTP status is 200', () => sf.ok(sf.status() === 200, 'HTTP ' + sf.status() + ': the access token was refused'));",
    "sf.check('content type is application/json', () => sf.ok(/^application\\/json\\b/i.test(sf.header('content-type') || ''), 'content type is not application/json'));",
    'const b = sf.body();',
    `const idMatch = new RegExp(${q(ID_PATH)}).exec(sf.get('id_url') || '');`,
    "sf.check('user_id and organization_id are those of id_url', () => { sf.ok(idMatch !== null, 'id_url is not set: run the code exchange first'); sf.ok(b.user_id === idMatch[2] && b.organization_id === idMatch[1], 'another user or org than id_url names'); });",
    userKey === 'id'
      ? "sf.check('id is id_url', () => sf.ok(b.id === sf.get('id_url'), 'id differs from the code exchange\\'s id'));"
      : "sf.check('sub names the same user as id_url', () => sf.ok(typeof b.sub === 'string' && b.sub.endsWith('/id/' + b.organization_id + '/' + b.user_id), 'sub does not name the user'));",
  ]
}

/** The collection's requests in run order (refresh before revoke: revoke kills the refresh token). */
export function collectionRequests(s: CollectionSettings): CollectionRequest[] {
  const form = (...pairs: [string, string][]) => pairs
  const secret: [string, string] = ['client_secret', '{{client_secret}}']
  return [
    {
      name: '1 authorize URL (browser step)',
      description: 'The browser step. Open this URL in a browser, log in, click Allow; the browser is sent to redirect_uri?code=…: put that code (percent-decoded once) into the variable `code`. Run here, it only checks that Salesforce accepts client_id and redirect_uri (302 to its login page) and makes state and the PKCE pair.',
      method: 'GET',
      url: `{{login_url}}${ENDPOINT_PATHS.authorize}`,
      query: [
        ['response_type', 'code'], ['client_id', '{{client_id}}'], ['redirect_uri', '{{redirect_uri}}'], ['scope', '{{scope}}'], ['state', '{{state}}'],
        ...(s.pkce ? [['code_challenge', '{{code_challenge}}'], ['code_challenge_method', 'S256']] as [string, string][] : []),
      ],
      headers: [],
      form: undefined,
      followRedirects: false,
      preRequest: [
        "if (!sf.get('state')) sf.set('state', sf.random());",
        // RFC 7636 §4.1, §4.2: a verifier of 43+ unreserved characters, challenge = base64url(SHA-256(verifier)).
        ...(s.pkce ? ["if (!sf.get('code_verifier')) sf.set('code_verifier', sf.random());", "sf.set('code_challenge', sf.challenge(sf.get('code_verifier')));"] : []),
      ],
      tests: [
        "sf.check('answers 302 (to the login page)', () => sf.ok(sf.status() === 302, 'HTTP ' + sf.status() + ': a plain-text answer names a bad client_id or redirect_uri'));",
        "sf.check('the redirect carries no error', () => sf.ok(!/[?&]error=/.test(sf.header('location') || ''), 'redirected with an error: ' + String(sf.header('location')).split('?')[0]));",
      ],
    },
    {
      name: '2 code exchange',
      description: 'POST the code (single use, 15 minutes) for tokens; checks every field of the answer and saves the tokens into variables.',
      method: 'POST',
      url: `{{login_url}}${ENDPOINT_PATHS.token}`,
      query: [],
      headers: [],
      form: form(['grant_type', 'authorization_code'], ['code', '{{code}}'], ['client_id', '{{client_id}}'], secret, ['redirect_uri', '{{redirect_uri}}'], ...(s.pkce ? [['code_verifier', '{{code_verifier}}']] as [string, string][] : [])),
      followRedirects: false,
      preRequest: [],
      tests: tokenTests('authorization_code'),
    },
    {
      name: '3 userinfo',
      description: 'Who the access token belongs to (OpenID Connect userinfo).',
      method: 'GET',
      url: `{{instance_url}}${ENDPOINT_PATHS.userinfo}`,
      query: [],
      headers: [['Authorization', 'Bearer {{access_token}}']],
      form: undefined,
      followRedirects: false,
      preRequest: [],
      tests: identityTests('sub'),
    },
    {
      name: '4 identity URL',
      description: "The token answer's id URL: Salesforce's own description of the user.",
      method: 'GET',
      url: '{{id_url}}',
      query: [],
      headers: [['Authorization', 'Bearer {{access_token}}']],
      form: undefined,
      followRedirects: false,
      preRequest: [],
      tests: identityTests('id'),
    },
    {
      name: '5 introspect',
      description: 'Is the access token active (RFC 7662)?',
      method: 'POST',
      url: `{{login_url}}${ENDPOINT_PATHS.introspect}`,
      query: [],
      headers: [],
      form: form(['token', '{{access_token}}'], ['token_type_hint', 'access_token'], ['client_id', '{{client_id}}'], secret),
      followRedirects: false,
      preRequest: [],
      tests: [
        "sf.check('HTTP status is 200', () => sf.ok(sf.status() === 200, 'HTTP ' + sf.status()));",
        'const b = sf.body();',
        "sf.check('the access token is active', () => sf.ok(b.active === true, 'active is not true'));",
        "sf.check('client_id is this app', () => sf.ok(b.client_id === sf.get('client_id'), 'another client_id'));",
      ],
    },
    {
      name: '6 refresh',
      description: 'The refresh grant; under Refresh Token Rotation the answer carries a new refresh_token, saved here (the old one is dead).',
      method: 'POST',
      url: `{{login_url}}${ENDPOINT_PATHS.token}`,
      query: [],
      headers: [],
      form: form(['grant_type', 'refresh_token'], ['refresh_token', '{{refresh_token}}'], ['client_id', '{{client_id}}'], secret),
      followRedirects: false,
      preRequest: [],
      tests: tokenTests('refresh_token'),
    },
    {
      name: '7 revoke',
      description: 'Revoke the refresh token and its access tokens, freeing one of the 5 approvals per user per app.',
      method: 'POST',
      url: `{{login_url}}${ENDPOINT_PATHS.revoke}`,
      query: [],
      headers: [],
      form: form(['token', '{{refresh_token}}']),
      followRedirects: false,
      preRequest: [],
      tests: ["sf.check('HTTP status is 200', () => sf.ok(sf.status() === 200, 'HTTP ' + sf.status() + ': the token is unknown or already revoked'));"],
    },
  ]
}

/**
 * The `sf` helpers every prelude defines in the same way, over the tool's four primitives:
 * `status()`, `header(name)`, `text()`, `get(k)`/`set(k, v)`, `check(name, fn)`, and CryptoJS as `C`.
 */
export const SF_HELPERS = [
  "sf.ok = (cond, message) => { if (!cond) throw new Error(message); };",
  "sf.body = () => { try { const v = JSON.parse(sf.text()); return v !== null && typeof v === 'object' ? v : {}; } catch (e) { return {}; } };",
  'sf.hmac = (key, message) => C.HmacSHA256(message, key).toString(C.enc.Base64);',
  "sf.b64url = (words) => C.enc.Base64.stringify(words).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');",
  'sf.random = () => sf.b64url(C.lib.WordArray.random(32));',
  'sf.challenge = (verifier) => sf.b64url(C.SHA256(verifier));',
]
