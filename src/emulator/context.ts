import type { Behaviour } from './behaviour.js'
import type { Clock } from './clock.js'
import type { EmulatorState } from './state.js'
import type { Ctx } from './http-util.js'
import type { EmulatorApp } from './seed.js'

/** What every route handler gets besides the request. */
export interface Emulator {
  readonly state: EmulatorState
  readonly clock: Clock
  behaviour(): Behaviour
  /** Report a secret the emulator saw or issued (a test ledger for the secret scan; no-op otherwise). */
  secret(value: string | undefined | null): void
}

export type Route = (ctx: Ctx, em: Emulator) => void | Promise<void>

export const CONSENT_PATH = '/setup/secur/RemoteAccessAuthorizationPage.apexp'
export const ERROR_PAGE_PATH = '/setup/secur/RemoteAccessErrorPage.apexp'

/** The app as the current behaviour switches make it (org settings applied on top of the app's own). */
export function effectiveApp(em: Emulator, app: EmulatorApp): EmulatorApp {
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

/** Salesforce grants a refresh token only with refresh_token or offline_access (reference §3.1). */
export function allowsRefresh(scope: string): boolean {
  return scopesOf(scope).some((s) => s === 'refresh_token' || s === 'offline_access')
}
