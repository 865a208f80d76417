/**
 * oauth4webapi (the OAuth/OIDC client under Auth.js's Salesforce provider), unchanged, against the
 * emulator in its https mode: discovery, the authorization code grant with PKCE and a nonce (its own
 * id_token checks: iss, aud, exp/iat, nonce), and userinfo with the subject check. If the emulator
 * strayed from what a strict, standards-following client accepts, this fails.
 */
import * as oauth from 'oauth4webapi'
import { authorizeOverHttp, REDIRECT } from '../support/http-flow.js'
import { expect, test } from '../support/tls-emulator.js'

/** oauth4webapi's requests through the fetch that trusts the emulator's CA. */
function trusting(f: typeof fetch) {
  return { [oauth.customFetch]: (url: string, o: object) => f(url, o) }
}

test('oauth4webapi accepts the emulator\'s discovery, a code exchange with a nonce, and userinfo', async ({ tlsEmulator }) => {
  const { emulator, fetch } = tlsEmulator
  const options = trusting(fetch)
  const issuer = new URL(emulator.url)
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options }))
  expect(as.jwks_uri).toBe(`${emulator.url}/id/keys`)
  const seed = emulator.app.seed.app
  const client: oauth.Client = { client_id: seed.clientId, id_token_signed_response_alg: 'RS256' }

  const verifier = oauth.generateRandomCodeVerifier()
  const nonce = oauth.generateRandomNonce()
  const state = oauth.generateRandomState()
  const location = await authorizeOverHttp(emulator, { scope: 'openid api', verifier, state, extra: { nonce }, fetch })
  const params = oauth.validateAuthResponse(as, client, new URL(location), state)
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretPost(seed.clientSecret), params, REDIRECT, verifier, options)
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true })
  const claims = oauth.getValidatedIdTokenClaims(result)
  expect(claims?.nonce).toBe(nonce)
  expect(claims?.sub).toBe(result.id)

  const info = await oauth.processUserInfoResponse(as, client, claims?.sub ?? '', await oauth.userInfoRequest(as, client, result.access_token, options))
  expect(info.preferred_username).toBe(emulator.app.seed.user.username)
})

test('oauth4webapi refuses the emulator\'s id_token when it carries another nonce (the switch bites a third-party client too)', async ({ tlsEmulator }) => {
  const { emulator, fetch } = tlsEmulator
  const options = trusting(fetch)
  const issuer = new URL(emulator.url)
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options }))
  const seed = emulator.app.seed.app
  const client: oauth.Client = { client_id: seed.clientId }
  emulator.app.configure({ idToken: 'wrong-nonce' })
  const verifier = oauth.generateRandomCodeVerifier()
  const nonce = oauth.generateRandomNonce()
  const location = await authorizeOverHttp(emulator, { scope: 'openid api', verifier, state: 's', extra: { nonce }, fetch })
  const params = oauth.validateAuthResponse(as, client, new URL(location), 's')
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretPost(seed.clientSecret), params, REDIRECT, verifier, options)
  await expect(oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true })).rejects.toMatchObject({ code: oauth.JWT_CLAIM_COMPARISON })
})
