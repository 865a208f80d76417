import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { curlCommands } from '../../src/interop/curl.js'
import { postmanEnvironment } from '../../src/interop/postman.js'
import { SFDX_URL_PATTERN, sfdxAuthUrl } from '../../src/interop/sfdx-url.js'

const RT = '5Aep861abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.abcdefghijklmnopqrstu'

test('sfdx auth URL: the form sfdx-core parses; host without scheme; empty secret allowed; http warned', () => {
  const u = sfdxAuthUrl({ clientId: '3MVG9abc', clientSecret: 'F00D1234', refreshToken: RT, instanceUrl: 'https://acme.my.salesforce.com' })
  expect(u.url).toBe(`force://3MVG9abc:F00D1234:${RT}@acme.my.salesforce.com`)
  expect(u.warning).toBeUndefined()
  expect(SFDX_URL_PATTERN.exec(u.url)?.slice(1)).toEqual(['3MVG9abc', 'F00D1234', RT, 'acme.my.salesforce.com'])
  expect(sfdxAuthUrl({ clientId: '3MVG9abc', clientSecret: undefined, refreshToken: RT, instanceUrl: 'https://a.my.salesforce.com' }).url).toBe(`force://3MVG9abc::${RT}@a.my.salesforce.com`)
  expect(sfdxAuthUrl({ clientId: 'c', clientSecret: 's', refreshToken: RT, instanceUrl: 'http://127.0.0.1:4000' }).warning).toMatch(/always uses https:\/\/127\.0\.0\.1:4000/)
})

test('sfdx auth URL: refused without a refresh token, or with characters the sf CLI does not accept', () => {
  const code = (f: () => unknown) => {
    try {
      f()
    } catch (err) {
      return (err as { code?: string }).code
    }
    return undefined
  }
  expect(code(() => sfdxAuthUrl({ clientId: 'c', clientSecret: 's', refreshToken: null, instanceUrl: 'https://a.b' }))).toBe('USAGE_INVALID')
  expect(code(() => sfdxAuthUrl({ clientId: 'c', clientSecret: 'a:b', refreshToken: RT, instanceUrl: 'https://a.b' }))).toBe('USAGE_INVALID')
})

test('Postman environment: the four variables, tokens of type secret', () => {
  const env = postmanEnvironment({ name: 'n', accessToken: '00Dxx!yy', instanceUrl: 'https://i', refreshToken: RT, clientId: 'cid', loginUrl: 'https://login.salesforce.com' }, new Date(0))
  expect(env._postman_variable_scope).toBe('environment')
  expect(env._postman_exported_at).toBe('1970-01-01T00:00:00.000Z')
  expect(Object.fromEntries(env.values.map((v) => [v.key, v.type]))).toEqual({ access_token: 'secret', instance_url: 'default', refresh_token: 'secret', client_id: 'default', login_url: 'default' })
})

test('curl: secrets only as references; no secret flag without a secret; no PKCE step without PKCE', () => {
  const base = { loginUrl: 'https://login.salesforce.com', clientId: '3MVG9abc', redirectUri: 'http://localhost:1717/OauthRedirect', scope: 'api refresh_token', pkce: true, hasSecret: true }
  const all = curlCommands(base)
  const token = all.find((c) => c.name === 'token')?.command ?? ''
  expect(token).toBe([
    'curl -sS -X POST https://login.salesforce.com/services/oauth2/token',
    '  --data-urlencode grant_type=authorization_code',
    '  --data-urlencode "code=$SF_CODE"',
    '  --data-urlencode client_id=3MVG9abc',
    '  --data-urlencode "client_secret=$SF_CLIENT_SECRET"',
    '  --data-urlencode redirect_uri=http://localhost:1717/OauthRedirect',
    '  --data-urlencode "code_verifier=$SF_CODE_VERIFIER"',
  ].join(' \\\n'))
  const bare = curlCommands({ ...base, pkce: false, hasSecret: false })
  expect(bare.map((c) => c.name)).toEqual(['authorize', 'token', 'refresh', 'userinfo', 'revoke'])
  expect(bare.map((c) => c.command).join('\n')).not.toMatch(/client_secret|code_verifier|code_challenge/)
})

test('curl without a login URL: every endpoint under "$SF_LOGIN_URL", nothing refused (the embedded emulator case)', () => {
  const commands = curlCommands({ loginUrl: undefined, clientId: undefined, redirectUri: 'http://localhost:1717/OauthRedirect', scope: 'api refresh_token', pkce: false, hasSecret: true })
  const token = commands.find((c) => c.name === 'token')?.command ?? ''
  expect(token.split(' \\\n')[0]).toBe('curl -sS -X POST "$SF_LOGIN_URL/services/oauth2/token"')
  expect(commands.find((c) => c.name === 'revoke')?.command).toContain('"$SF_LOGIN_URL/services/oauth2/revoke"')
})
