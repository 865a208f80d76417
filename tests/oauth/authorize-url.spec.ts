import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { buildAuthorizeUrl } from '../../src/oauth/authorize-url.js'
import { endpointsFor } from '../../src/oauth/endpoints.js'
import { challengeFor, createPkce, createVerifier, isValidVerifier, pkceCheck } from '../../src/oauth/pkce.js'
import { createState } from '../../src/oauth/state.js'

test('builds the web server flow URL with every parameter encoded', () => {
  const url = buildAuthorizeUrl({
    loginUrl: 'https://login.salesforce.com',
    clientId: '3MVG9abc',
    redirectUri: 'http://localhost:1717/OauthRedirect',
    scope: 'api refresh_token',
    state: 'st-1',
    codeChallenge: 'chal',
  })
  expect(url.origin + url.pathname).toBe('https://login.salesforce.com/services/oauth2/authorize')
  expect(url.search).toBe('?response_type=code&client_id=3MVG9abc&redirect_uri=http%3A%2F%2Flocalhost%3A1717%2FOauthRedirect&scope=api+refresh_token&state=st-1&code_challenge=chal&code_challenge_method=S256')
})

test('omits PKCE when off and adds prompt and login_hint when given', () => {
  const url = buildAuthorizeUrl({ loginUrl: 'https://x.my.salesforce.com/', clientId: 'c', redirectUri: 'http://localhost', scope: 'api', state: 's', prompt: 'login consent', loginHint: 'a@b.c' })
  expect(url.searchParams.has('code_challenge')).toBe(false)
  expect(url.searchParams.has('code_challenge_method')).toBe(false)
  expect(url.searchParams.get('prompt')).toBe('login consent')
  expect(url.searchParams.get('login_hint')).toBe('a@b.c')
})

test('endpoints keep a path prefix and never double a slash (jsforce behaviour)', () => {
  expect(endpointsFor('https://site.example.test/community/').token).toBe('https://site.example.test/community/services/oauth2/token')
  expect(endpointsFor('https://login.salesforce.com').revoke).toBe('https://login.salesforce.com/services/oauth2/revoke')
})

test('PKCE: RFC 7636 Appendix B vector, verifier alphabet and length', () => {
  expect(challengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')
  const pkce = createPkce()
  expect(pkce.verifier).toMatch(/^[A-Za-z0-9_-]{128}$/)
  expect(pkce.challenge).toBe(challengeFor(pkce.verifier))
  expect(pkce.method).toBe('S256')
  expect(createVerifier(128)).toHaveLength(171)
  expect(isValidVerifier(createVerifier(128))).toBe(true)
  expect(isValidVerifier('a'.repeat(42))).toBe(false)
  expect(isValidVerifier(`${'a'.repeat(50)}~`)).toBe(false)
  expect(createVerifier()).not.toBe(createVerifier())
})

test('state is 128 random bits, base64url', () => {
  const a = createState()
  expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/)
  expect(a).not.toBe(createState())
})

test('pkceCheck: the URL must carry method S256 and the S256 challenge of the verifier, else PKCE_CHALLENGE_INVALID', () => {
  const pkce = createPkce()
  const base = { loginUrl: 'https://login.salesforce.com', clientId: '3MVG9abc', redirectUri: 'http://localhost:1717/OauthRedirect', scope: 'api', state: 'st' }
  const good = buildAuthorizeUrl({ ...base, codeChallenge: pkce.challenge })
  expect(pkceCheck(good.toString(), pkce)).toMatchObject({ name: 'pkce', status: 'pass' })
  const codeOf = (url: URL) => {
    try {
      pkceCheck(url.toString(), pkce)
    } catch (err) {
      return (err as { code?: string }).code
    }
    return 'no error'
  }
  const plain = new URL(good)
  plain.searchParams.set('code_challenge_method', 'plain')
  const noMethod = new URL(good)
  noMethod.searchParams.delete('code_challenge_method')
  const other = buildAuthorizeUrl({ ...base, codeChallenge: challengeFor(createVerifier()) })
  for (const url of [plain, noMethod, other, buildAuthorizeUrl(base)]) expect(codeOf(url), url.search).toBe('PKCE_CHALLENGE_INVALID')
  expect(pkceCheck(buildAuthorizeUrl(base).toString(), undefined).status).toBe('skip')
})
