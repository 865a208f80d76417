/**
 * Reports: every HTTP exchange of a test is a masked attachment (request and response, like Postman's
 * console) in the HTML report. The attachments are read back: no secret in any spelling, the masked
 * forms present.
 */
import { createHttp } from '../../src/http/client.js'
import { refresh, userinfo } from '../../src/client/operations.js'
import { mask, redactor } from '../../src/redact.js'
import { expect, test } from '../support/test.js'

const spellings = (v: string) => [v, encodeURIComponent(v), new URLSearchParams({ v }).toString().slice(2)]

test('token exchange, refresh and userinfo are attached, masked', async ({ httpFlow: flow, httpExchanges }) => {
  const result = await flow.run()
  const refreshToken = result.tokens.refreshToken ?? ''
  const http = createHttp({ timeoutMs: 10_000 })
  try {
    const ctx = { http, secrets: redactor }
    await refresh(ctx, flow.target, refreshToken)
    await userinfo(ctx, result.tokens.instanceUrl, result.tokens.accessToken)
  } finally {
    await http.close()
  }
  expect(httpExchanges.exchanges.map((e) => `${e.request.method} ${new URL(e.request.url).pathname} ${e.response?.status ?? ''}`)).toEqual([
    'POST /services/oauth2/token 200',
    'POST /services/oauth2/token 200',
    'GET /services/oauth2/userinfo 200',
  ])
  const tokenBody = new URLSearchParams(httpExchanges.exchanges[0]?.request.body ?? '')
  const code = tokenBody.get('code') ?? ''
  const verifier = tokenBody.get('code_verifier') ?? ''
  const refreshed = JSON.parse(httpExchanges.exchanges[1]?.response?.body ?? '{}') as { access_token: string }
  // The refresh operation handed it to the redactor (its sink); registering again is a no-op.
  redactor.add(refreshed.access_token)
  expect(code.startsWith('aPrx')).toBe(true)
  expect(verifier.length).toBeGreaterThanOrEqual(43)

  await httpExchanges.attach()
  const attachments = test.info().attachments.filter((a) => a.name.startsWith('http '))
  expect(attachments.map((a) => a.name)).toEqual(['http 01 POST /services/oauth2/token 200', 'http 02 POST /services/oauth2/token 200', 'http 03 GET /services/oauth2/userinfo 200'])
  const texts = attachments.map((a) => a.body?.toString('utf8') ?? '')
  const all = texts.join('\n')
  // Searched in plain code, not with expect(): a matcher's arguments would put the secrets into the trace.
  const secrets = [flow.target.clientSecret ?? '', code, verifier, refreshToken, result.tokens.accessToken, refreshed.access_token]
  expect(secrets.every((v) => v.length > 20)).toBe(true)
  const found = secrets.flatMap((v) => spellings(v).filter((form) => all.includes(form)).map(() => `${v.slice(0, 4)}…`))
  expect(found).toEqual([])
  // Postman-console shape, with the masked forms where the secrets were.
  expect(texts[0]).toContain(`POST ${flow.target.loginUrl}/services/oauth2/token`)
  expect(texts[0]).toMatch(/Request Headers\n {2}accept: application\/json\n {2}content-type: application\/x-www-form-urlencoded/)
  expect(texts[0]).toContain(`code=${mask(code)}`)
  expect(texts[0]).toContain(mask(flow.target.clientSecret ?? ''))
  expect(texts[0]).toContain(`"refresh_token": "${mask(refreshToken)}"`)
  expect(texts[0]).toContain(`"access_token": "${mask(result.tokens.accessToken)}"`)
  expect(texts[1]).toContain(`refresh_token=${mask(refreshToken)}`)
  expect(texts[2]).toContain(`authorization: Bearer ${mask(result.tokens.accessToken)}`)
  expect(texts[2]).toContain('"preferred_username": "demo.user@example.com"')
})
