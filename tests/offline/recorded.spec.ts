/**
 * CI's replay of `npm run record` fixtures: nock.back in lockdown mode (recorded answers only, every other
 * request refused), and the harness's calls replayed through it, ending as recorded.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import nock from 'nock'
import { verifySignature } from '../../src/oauth/signature.js'
import { FAKE_CLIENT_SECRET } from '../../src/record/fakes.js'
import { exchangesFromDefinitions, replayCalls } from '../../src/record/replay.js'
import { expect, FIXTURES_DIR, test } from '../support/offline.js'

const RECORDED = join(FIXTURES_DIR, 'recorded')

test('web-server-flow.json replays in lockdown: code exchange, refresh, userinfo, introspect, revoke, then the revoked token refused', async () => {
  nock.back.fixtures = RECORDED
  nock.back.setMode('lockdown')
  const { nockDone } = await nock.back('web-server-flow.json')
  try {
    const defs = JSON.parse(readFileSync(join(RECORDED, 'web-server-flow.json'), 'utf8')) as nock.Definition[]
    const result = await replayCalls(exchangesFromDefinitions(defs), { expectRefreshToken: true })
    expect(result.calls).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'TOKEN_REFRESH_TOKEN_EXPIRED'])
  } finally {
    nockDone()
    nock.back.setMode('dryrun')
  }
})

test('recorded token answers verify with the fake client secret', () => {
  const defs = JSON.parse(readFileSync(join(RECORDED, 'web-server-flow.json'), 'utf8')) as { response?: Record<string, string> }[]
  const signed = defs.flatMap((d) => (d.response?.signature === undefined ? [] : [d.response]))
  expect(signed.length).toBeGreaterThanOrEqual(2)
  for (const r of signed) expect(verifySignature(FAKE_CLIENT_SECRET, r.id ?? '', r.issued_at ?? '', r.signature ?? '')).toBe(true)
})
