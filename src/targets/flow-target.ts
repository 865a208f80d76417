/**
 * One target model. Whatever names the org (the configuration, an entry of a targets file, the embedded
 * emulator's seed in the CLI, the tests and the bench), a flow runs against a FlowTarget, and it is made
 * in one place: `toFlowTarget`, from who logs in where (`TargetLogin`) and how the flow asks
 * (`FlowSettings`). The login URL goes through the one normaliser (src/oauth/hosts.ts).
 */
import { DEFAULT_REDIRECT_URI, DEFAULT_SCOPE } from '../config.js'
import { normaliseLoginUrl } from '../oauth/hosts.js'

/** Everything needed to talk to one org (or emulator) as one user through one app. */
export interface FlowTarget extends TargetLogin, FlowSettings {}

/** Who logs in where, through which app: what differs from one target to the next. */
export interface TargetLogin {
  readonly loginUrl: string
  readonly clientId: string
  readonly clientSecret: string | undefined
  readonly username: string
  readonly password: string
}

/** How the flow asks (SF_REDIRECT_URI, SF_SCOPE, SF_PKCE): shared by every target of a run. */
export interface FlowSettings {
  readonly redirectUri: string
  readonly scope: string
  readonly pkce: boolean
  /** SF_TOKEN_FORMAT: the token endpoint's answer format to ask for and check (default json). */
  readonly tokenFormat?: 'json' | 'xml' | 'urlencoded' | undefined
}

/** The settings of an empty configuration (src/config.ts defaults). */
export const DEFAULT_FLOW_SETTINGS: FlowSettings = { redirectUri: DEFAULT_REDIRECT_URI, scope: DEFAULT_SCOPE, pkce: true }

/** The one way to make a FlowTarget. Extra fields of its arguments (a whole config) are not copied. */
export function toFlowTarget(login: TargetLogin, settings: FlowSettings): FlowTarget {
  return {
    loginUrl: normaliseLoginUrl(login.loginUrl),
    clientId: login.clientId,
    clientSecret: login.clientSecret,
    username: login.username,
    password: login.password,
    redirectUri: settings.redirectUri,
    scope: settings.scope,
    pkce: settings.pkce,
    ...(settings.tokenFormat === undefined || settings.tokenFormat === 'json' ? {} : { tokenFormat: settings.tokenFormat }),
  }
}

/** The parts of an emulator seed a login needs (src/emulator/seed.ts; the emulator shares no code with us). */
export interface SeedLogin {
  readonly app: { readonly clientId: string; readonly clientSecret: string }
  readonly user: { readonly username: string; readonly password: string }
}

/** The emulator at `url` with its seeded app and user; `overrides` replace any of them (SF_CLIENT_ID etc.). */
export function emulatorLogin(url: string, seed: SeedLogin, overrides: { readonly [K in Exclude<keyof TargetLogin, 'loginUrl'>]?: string | undefined } = {}): TargetLogin {
  return {
    loginUrl: url,
    clientId: overrides.clientId ?? seed.app.clientId,
    clientSecret: overrides.clientSecret ?? seed.app.clientSecret,
    username: overrides.username ?? seed.user.username,
    password: overrides.password ?? seed.user.password,
  }
}
