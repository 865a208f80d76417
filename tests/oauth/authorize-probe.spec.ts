import { expect, test } from '@playwright/test'
import { classifyAuthorizeAnswer } from '../../src/oauth/authorize-probe.js'

const CB = 'http://localhost:1717/OauthRedirect'
const res = (status: number, headers: Record<string, string>, body = '') => ({ status, headers, body, url: 'https://login.salesforce.com/services/oauth2/authorize?x=1' })

test('the three shapes of docs/salesforce-oauth.md §1.5 and the login page are told apart', () => {
  expect(classifyAuthorizeAnswer(res(302, { location: '/?ec=302&startURL=%2Fsetup%2Fsecur%2FRemoteAccessAuthorizationPage.apexp' }), CB)).toMatchObject({ kind: 'login-page' })
  expect(classifyAuthorizeAnswer(res(400, { 'content-type': 'text/plain' }, 'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration'), CB))
    .toEqual({ kind: 'plain-error', error: 'redirect_uri_mismatch', description: 'redirect_uri must match configuration', location: undefined })
  expect(classifyAuthorizeAnswer(res(400, {}, 'error=invalid_client_id&error_description=client%20identifier%20invalid'), CB)).toMatchObject({ kind: 'plain-error', error: 'invalid_client_id' })
  expect(classifyAuthorizeAnswer(res(302, { location: `${CB}?error=OAUTH_APP_BLOCKED&error_description=this+app+is+blocked+by+admin&state=s` }), CB)).toMatchObject({ kind: 'redirect-error', error: 'OAUTH_APP_BLOCKED', description: 'this app is blocked by admin' })
  expect(classifyAuthorizeAnswer(res(302, { location: '/setup/secur/RemoteAccessErrorPage.apexp?error=OAUTH_APPROVAL_ERROR_GENERIC&error_description=An+unexpected+error' }), CB)).toMatchObject({ kind: 'error-page', error: 'OAUTH_APPROVAL_ERROR_GENERIC' })
  expect(classifyAuthorizeAnswer(res(200, { 'content-type': 'text/html' }, '<html>error=x</html>'), CB)).toMatchObject({ kind: 'unexpected', status: 200 })
  expect(classifyAuthorizeAnswer(res(301, { location: 'https://acme.my.salesforce.com/services/oauth2/authorize' }), CB)).toMatchObject({ kind: 'unexpected', status: 301 })
})
