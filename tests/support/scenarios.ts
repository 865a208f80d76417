/**
 * Scenarios written once, run on three targets:
 *  - `emulator`: the embedded emulator, its pages walked over HTTP (tests/scenarios/three-targets.spec.ts);
 *  - `live`: a real org, or the emulator run as its own process, named by SF_* (tests/live/scenarios.spec.ts);
 *  - `offline`: no browser, nock answers from fixtures/ (tests/offline/scenarios.spec.ts).
 * A scenario talks only to a ScenarioTarget. Where offline needs to know what Salesforce would answer, the
 * call names a fixture (`offline:`); the other targets ignore it and get the real answer.
 */
import { expect } from '@playwright/test'
import type { ValidatedCallback } from '../../src/oauth/callback.js'
import type { ProcessedTokens } from '../../src/oauth/token-response.js'
import { codeOf } from './test.js'

export type TargetName = 'emulator' | 'live' | 'offline'
export const ALL_TARGETS: readonly TargetName[] = ['emulator', 'live', 'offline']

export interface Authorized {
  readonly callback: ValidatedCallback
  readonly verifier: string
}

export interface ScenarioTarget {
  readonly name: TargetName
  /** The browser part (offline: the callback a browser would have caught, with the fixture's code). */
  authorize(): Promise<Authorized>
  exchange(a: Authorized, offline?: string): Promise<ProcessedTokens>
  refresh(refreshToken: string, offline?: string): Promise<ProcessedTokens>
  revoke(token: string, offline?: string): Promise<void>
  /**
   * Make the app rotate refresh tokens (on) or not (off). Returns why that is impossible here (a real
   * org cannot be steered), and the scenario skips with that reason; undefined when done.
   */
  rotation(on: boolean): Promise<string | undefined>
}

export interface Scenario {
  readonly title: string
  readonly targets: readonly TargetName[]
  readonly run: (sf: ScenarioTarget, skip: (reason: string) => void) => Promise<void>
}

/** Skips the running scenario when the target cannot be put in the state it needs. */
async function need(skip: (reason: string) => void, why: Promise<string | undefined>): Promise<void> {
  const reason = await why
  if (reason !== undefined) skip(reason)
}

export const SCENARIOS: readonly Scenario[] = [
  {
    title: 'code exchange: a checked token set with a refresh token',
    targets: ALL_TARGETS,
    run: async (sf) => {
      const { tokens, checks } = await sf.exchange(await sf.authorize())
      expect(tokens.accessToken).toMatch(/^00D[A-Za-z0-9]{12,15}!/)
      expect(tokens.refreshToken).toMatch(/^5Aep/)
      expect(tokens.tokenType).toBe('Bearer')
      expect(checks.find((c) => c.name === 'signature')?.status).toBe('pass')
    },
  },
  {
    title: 'reused code is refused: TOKEN_CODE_EXPIRED',
    targets: ALL_TARGETS,
    run: async (sf) => {
      const a = await sf.authorize()
      await sf.exchange(a)
      expect(await codeOf(sf.exchange(a, 'token/authorization_code/400-expired-authorization-code'))).toBe('TOKEN_CODE_EXPIRED')
    },
  },
  {
    title: 'refresh without rotation: no new refresh token, the old one keeps working',
    targets: ALL_TARGETS,
    run: async (sf, skip) => {
      await need(skip, sf.rotation(false))
      const rt = (await sf.exchange(await sf.authorize())).tokens.refreshToken ?? ''
      expect((await sf.refresh(rt)).tokens.refreshToken).toBeUndefined()
      expect((await sf.refresh(rt)).tokens.accessToken).toMatch(/^00D/)
    },
  },
  {
    title: 'refresh with rotation: a new refresh token, and the old one is refused',
    targets: ALL_TARGETS,
    run: async (sf, skip) => {
      await need(skip, sf.rotation(true))
      const rt1 = (await sf.exchange(await sf.authorize())).tokens.refreshToken ?? ''
      const rt2 = (await sf.refresh(rt1, 'token/refresh_token/200-rotation')).tokens.refreshToken
      expect(rt2).toMatch(/^5Aep/)
      expect(rt2).not.toBe(rt1)
      expect(await codeOf(sf.refresh(rt1, 'token/refresh_token/400-expired-access-refresh-token'))).toBe('TOKEN_REFRESH_TOKEN_EXPIRED')
    },
  },
  {
    title: 'a revoked refresh token is refused: TOKEN_REFRESH_TOKEN_EXPIRED',
    targets: ALL_TARGETS,
    run: async (sf) => {
      const rt = (await sf.exchange(await sf.authorize())).tokens.refreshToken ?? ''
      await sf.revoke(rt)
      expect(await codeOf(sf.refresh(rt, 'token/refresh_token/400-expired-access-refresh-token'))).toBe('TOKEN_REFRESH_TOKEN_EXPIRED')
    },
  },
]

/** Declare every scenario that runs on `target` with the given Playwright `test`. */
export function scenariosFor(target: TargetName): readonly Scenario[] {
  return SCENARIOS.filter((s) => s.targets.includes(target))
}
