/** Revoke and userinfo answers named by the harness (docs/salesforce-oauth.md §5.1, §5.3). */
import { createHttp } from '../../src/http/client.js'
import { requestRevoke, requestUserinfo } from '../../src/http/oauth.js'
import { endpointsFor } from '../../src/oauth/endpoints.js'
import { processRevokeResponse, processUserinfoResponse } from '../../src/oauth/other-responses.js'
import { expect, test } from '../support/test.js'

test('userinfo with a revoked access token: 403 Bad_OAuth_Token, USERINFO_BAD_TOKEN; revoking twice: REVOKE_INVALID_TOKEN', async ({ flow, emulator }) => {
  const { tokens } = await flow.run()
  const http = createHttp({ timeoutMs: 10_000 })
  try {
    expect(processUserinfoResponse(await requestUserinfo(http, tokens.instanceUrl, tokens.accessToken)).preferredUsername).toBe('demo.user@example.com')
    processRevokeResponse(await requestRevoke(http, endpointsFor(emulator.url), tokens.refreshToken ?? ''))
    const res = await requestUserinfo(http, tokens.instanceUrl, tokens.accessToken)
    expect(res.status).toBe(403)
    expect(res.body).toBe('Bad_OAuth_Token')
    expect(() => processUserinfoResponse(res)).toThrow(expect.objectContaining({ code: 'USERINFO_BAD_TOKEN' }))
    const again = await requestRevoke(http, endpointsFor(emulator.url), tokens.refreshToken ?? '')
    expect(() => processRevokeResponse(again)).toThrow(expect.objectContaining({ code: 'REVOKE_INVALID_TOKEN' }))
  } finally {
    await http.close()
  }
})
