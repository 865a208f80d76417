/** Revoke and userinfo answers named by the harness (docs/salesforce-oauth.md §5.1, §5.3). */
import { identity, revoke, userinfo } from '../../src/client/operations.js'
import { createHttp } from '../../src/http/client.js'
import { redactor } from '../../src/redact.js'
import { codeOf, expect, test } from '../support/test.js'

test('userinfo with a revoked access token: 403 Bad_OAuth_Token, USERINFO_BAD_TOKEN; revoking twice: REVOKE_INVALID_TOKEN', async ({ httpFlow, emulator, httpExchanges }) => {
  const { tokens } = await httpFlow.run()
  const http = createHttp({ timeoutMs: 10_000 })
  const ctx = { http, secrets: redactor }
  try {
    expect((await userinfo(ctx, tokens.instanceUrl, tokens.accessToken)).preferredUsername).toBe('demo.user@example.com')
    expect((await identity(ctx, tokens.id, tokens.accessToken)).username).toBe('demo.user@example.com')
    await revoke(ctx, emulator.url, tokens.refreshToken ?? '')
    expect(await codeOf(userinfo(ctx, tokens.instanceUrl, tokens.accessToken))).toBe('USERINFO_BAD_TOKEN')
    // The raw answer the operation refused (the exchange log holds every call of the test).
    const refused = httpExchanges.exchanges.at(-1)?.response
    expect(refused?.status).toBe(403)
    expect(refused?.body).toBe('Bad_OAuth_Token')
    expect(await codeOf(identity(ctx, tokens.id, tokens.accessToken))).toBe('USERINFO_BAD_TOKEN')
    expect(await codeOf(revoke(ctx, emulator.url, tokens.refreshToken ?? ''))).toBe('REVOKE_INVALID_TOKEN')
  } finally {
    await http.close()
  }
})
