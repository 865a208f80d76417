/** The expiry forecast: each refresh token policy, --warn-before spans, and the targets file's policy key. */
import { expect } from '@playwright/test'
import { expiresWithin, forecastExpiry, parsePolicy, parseSpan } from '../../src/targets/forecast.js'
import { parseTargets } from '../../src/targets/load.js'
import { test } from '../support/scrub.js'

const now = new Date('2026-03-01T00:00:00.000Z')
const issued = new Date('2026-01-15T00:00:00.000Z')

test('each policy: until revoked never by time; expire-after from issue; expire-if-unused from this check', () => {
  expect(forecastExpiry(undefined, issued, now)).toEqual({ policy: 'unknown', expiresAt: null })
  expect(forecastExpiry({ type: 'until-revoked' }, issued, now)).toEqual({ policy: 'until-revoked', expiresAt: null })
  expect(forecastExpiry({ type: 'expire-after', days: 90 }, issued, now)).toEqual({ policy: 'expire-after 90d', expiresAt: '2026-04-15T00:00:00.000Z' })
  expect(forecastExpiry({ type: 'expire-after', days: 90 }, undefined, now).expiresAt).toBeNull()
  // The check itself is a use: a 30-day idle timeout runs from now, whenever the token was issued.
  expect(forecastExpiry({ type: 'expire-if-unused', days: 30 }, issued, now).expiresAt).toBe('2026-03-31T00:00:00.000Z')
})

test('--warn-before: spans, and what is near', () => {
  expect([parseSpan('7d'), parseSpan('36h'), parseSpan('90m')]).toEqual([7 * 86_400_000, 36 * 3_600_000, 90 * 60_000])
  for (const bad of ['', '7', 'd', '0d', '-1d', '7w', '1e3d', '7 d x']) expect(parseSpan(bad), bad).toBeUndefined()
  const f = forecastExpiry({ type: 'expire-after', days: 50 }, issued, now) // 2026-03-06
  expect(expiresWithin(f, now, 7 * 86_400_000)).toBe(true)
  expect(expiresWithin(f, now, 4 * 86_400_000)).toBe(false)
  expect(expiresWithin({ policy: 'until-revoked', expiresAt: null }, now, 1e12)).toBe(false)
})

test('the targets file: refreshTokenPolicy and tokenSecret are checked, every problem at once', () => {
  expect(parsePolicy({ type: 'expire-if-unused', days: 30 })).toEqual({ policy: { type: 'expire-if-unused', days: 30 } })
  for (const bad of [null, 'until-revoked', { type: 'expire-after' }, { type: 'expire-after', days: 0 }, { type: 'until-revoked', days: 3 }, { type: 'x', days: 3 }, { type: 'expire-after', days: 3, extra: 1 }]) expect(parsePolicy(bad), JSON.stringify(bad)).toHaveProperty('problem')
  const base = { name: 'a', loginUrl: 'https://login.salesforce.com', clientIdEnv: 'SF_ID' }
  const env = { SF_ID: 'id' }
  const ok = parseTargets({ targets: [{ ...base, refreshTokenPolicy: { type: 'until-revoked' }, tokenSecret: { name: 'SF_A_TOKEN', environment: 'nightly' } }] }, env, '/tmp')
  expect(ok.targets[0]).toMatchObject({ refreshTokenPolicy: { type: 'until-revoked' }, tokenSecret: { name: 'SF_A_TOKEN', environment: 'nightly' } })
  let problems: { key: string }[] = []
  try {
    parseTargets({ targets: [{ ...base, refreshTokenPolicy: { type: 'forever' }, tokenSecret: { name: 'GITHUB_TOKEN' } }] }, env, '/tmp')
  } catch (err) {
    problems = (err as { problems: { key: string }[] }).problems
  }
  expect(problems.map((p) => p.key)).toEqual(['targets[0] (a).refreshTokenPolicy', 'targets[0] (a).tokenSecret'])
})
