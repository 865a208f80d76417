import type { Behaviour } from './behaviour.js'
import type { Clock } from './clock.js'
import type { EmulatorState } from './state.js'
import type { Ctx } from './http-util.js'

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

export function scopesOf(scope: string): string[] {
  return scope.split(/\s+/).filter(Boolean)
}

/** Salesforce grants a refresh token only with refresh_token or offline_access (reference §3.1). */
export function allowsRefresh(scope: string): boolean {
  return scopesOf(scope).some((s) => s === 'refresh_token' || s === 'offline_access')
}
