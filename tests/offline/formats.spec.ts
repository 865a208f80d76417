/**
 * SF_TOKEN_FORMAT offline: the harness asks for format=xml or format=urlencoded, and reads and checks
 * those answers (src/oauth/token-formats.ts) exactly as the JSON one; a mismatch is TOKEN_FORMAT_MISMATCH.
 */
import * as op from '../../src/client/operations.js'
import { createHttp } from '../../src/http/client.js'
import { redactor } from '../../src/redact.js'
import { fakeVerifier } from '../../src/record/fakes.js'
import { codeOf } from '../support/test.js'
import { answer, expect, OFFLINE_TIMEOUT_MS, test } from '../support/offline.js'
import { callback, CLIENT, exchangeCode } from './calls.js'

async function exchangeAs(tokenFormat: 'xml' | 'urlencoded'): Promise<op.ExchangeResult> {
  const http = createHttp({ timeoutMs: OFFLINE_TIMEOUT_MS })
  try {
    return await op.exchangeCode({ http, secrets: redactor }, { ...CLIENT, tokenFormat }, callback(), { verifier: fakeVerifier(1), expectRefreshToken: true })
  } finally {
    await http.close()
  }
}

test('format=xml and format=urlencoded answers give the token set of the JSON answer, every check passed', async () => {
  answer('token/authorization_code/200-success')
  const json = await exchangeCode()
  for (const f of ['xml', 'urlencoded'] as const) {
    answer(`token/formats/200-${f}`, { format: f })
    const other = await exchangeAs(f)
    expect(other.tokens, f).toEqual(json.tokens)
    expect(other.checks.map((c) => `${c.name}:${c.status}`), f).toEqual(json.checks.map((c) => `${c.name}:${c.status}`))
    expect(other.checks.find((c) => c.name === 'content type')?.detail, f).toContain(`(format=${f})`)
  }
})

test('a JSON answer to format=xml, or XML to format=urlencoded, is TOKEN_FORMAT_MISMATCH', async () => {
  answer('token/authorization_code/200-success', { format: 'xml' })
  expect(await codeOf(exchangeAs('xml'))).toBe('TOKEN_FORMAT_MISMATCH')
  answer('token/formats/200-xml', { format: 'urlencoded' })
  expect(await codeOf(exchangeAs('urlencoded'))).toBe('TOKEN_FORMAT_MISMATCH')
})
