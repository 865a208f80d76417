import { randomBytes } from 'node:crypto'
import type { Behaviour } from './behaviour.js'
import type { Clock } from './clock.js'
import type { EmulatorState } from './state.js'
import { withQuery, type Ctx } from './http-util.js'
import type { ConnectedApp } from './seed.js'

/** What every route handler gets besides the request. */
export interface Emulator {
  readonly state: EmulatorState
  readonly clock: Clock
  behaviour(): Behaviour
  /** Merge behaviour switches (a one-shot misbehaviour clears itself through this). */
  configure(partial: unknown): void
  /** Report a secret the emulator saw or issued (a test ledger for the secret scan; no-op otherwise). */
  secret(value: string | undefined | null): void
}

/** The switches as they apply to one user: the org's, with that user's own (`configure({ user, … })`) over them. */
export function behaviourFor(em: Emulator, username: string): Behaviour {
  const b = em.behaviour()
  const own = Object.hasOwn(b.users, username) ? b.users[username] : undefined
  return own === undefined ? b : { ...b, ...own }
}

/** The usernames the browser remembers: the org-wide switch's, and every user switched to `remembered`. */
export function rememberedUsernames(b: Behaviour): string[] {
  const listed = Object.entries(b.users).filter(([, s]) => s.remembered === true).map(([name]) => name)
  return [...new Set([...(b.rememberedUsername === null ? [] : [b.rememberedUsername]), ...listed])]
}

export type Route = (ctx: Ctx, em: Emulator) => void | Promise<void>

export const CONSENT_PATH = '/setup/secur/RemoteAccessAuthorizationPage.apexp'
export const ERROR_PAGE_PATH = '/setup/secur/RemoteAccessErrorPage.apexp'

/** The app as the current behaviour switches make it (org settings applied on top of the app's own). */
export function effectiveApp(em: Emulator, app: ConnectedApp): ConnectedApp {
  const b = em.behaviour()
  return {
    ...app,
    scopes: b.appRefreshScope ? app.scopes : app.scopes.filter((s) => s !== 'refresh_token' && s !== 'offline_access'),
    requirePkce: app.requirePkce || b.requirePkce,
    preAuthorized: app.preAuthorized || b.preAuthorized,
    refreshTokenRotation: app.refreshTokenRotation || b.rotation,
  }
}

export function scopesOf(scope: string): string[] {
  return scope.split(/\s+/).filter(Boolean)
}

/** Salesforce grants a refresh token only with refresh_token or offline_access (docs/salesforce-oauth.md §3.1). */
export function allowsRefresh(scope: string): boolean {
  return scopesOf(scope).some((s) => s === 'refresh_token' || s === 'offline_access')
}

/**
 * The redirect back to the client with `params` (code or error, and state): to the registered redirect URI,
 * unless a misbehaviour switch sends it elsewhere or forges the state.
 */
export function callbackLocation(em: Emulator, redirectUri: string, params: Record<string, string | undefined>): string {
  const b = em.behaviour()
  const state = b.callbackState === 'forged' ? `forged-${randomBytes(12).toString('base64url')}` : params.state
  return withQuery(b.callbackUri ?? redirectUri, { ...params, state })
}
