/**
 * The browser reads Salesforce's refusals through processAuthorizeResponse, including the two shapes the
 * emulator does not produce: the error page with nothing in its URL (the error is read from its text)
 * and a plain-text answer that is the error code alone.
 */
import { createServer, type Server } from 'node:http'
import { expect, type Page } from '@playwright/test'
import { test } from '../support/scrub.js'
import { authorizeInBrowser } from '../../src/browser/authorize.js'
import type { HarnessError } from '../../src/errors.js'

let server: Server
let base = ''
test.beforeEach(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    if (url.pathname === '/services/oauth2/authorize' && url.searchParams.get('client_id') === 'bare') {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_client_id')
    } else if (url.pathname === '/services/oauth2/authorize') {
      res.writeHead(302, { location: '/setup/secur/RemoteAccessErrorPage.apexp' }).end()
    } else if (url.pathname === '/setup/secur/RemoteAccessErrorPage.apexp') {
      res.writeHead(200, { 'content-type': 'text/html' }).end("<!DOCTYPE html><html><body><h2>OAuth Error</h2><p>We can't authorize you because of an OAuth error.</p><p>OAUTH_APP_BLOCKED : this app is blocked by admin</p></body></html>")
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
})
test.afterEach(async () => {
  await new Promise((resolve) => server.close(resolve))
})

async function refusal(page: Page, clientId: string): Promise<HarnessError & { error: string; errorDescription: string | undefined }> {
  const authorizeUrl = `${base}/services/oauth2/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent('http://localhost:1717/OauthRedirect')}&state=st`
  const err: unknown = await authorizeInBrowser(page, { authorizeUrl, redirectUri: 'http://localhost:1717/OauthRedirect', username: 'u@example.com', password: 'not-a-real-password', timeoutMs: 10_000 }).then(() => undefined, (e: unknown) => e)
  expect(err).toBeDefined()
  return err as HarnessError & { error: string; errorDescription: string | undefined }
}

test('the error page with no error in its URL: the error is read from the page text', { tag: '@browser' }, async ({ page }) => {
  const e = await refusal(page, '3MVG9FakeClientId')
  expect([e.code, e.error, e.errorDescription]).toEqual(['AUTHORIZE_APP_BLOCKED', 'OAUTH_APP_BLOCKED', 'this app is blocked by admin'])
})

test('a plain-text answer that is the error code alone is named', { tag: '@browser' }, async ({ page }) => {
  const e = await refusal(page, 'bare')
  expect([e.code, e.error, e.errorDescription]).toEqual(['AUTHORIZE_INVALID_CLIENT_ID', 'invalid_client_id', undefined])
})
