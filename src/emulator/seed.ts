/**
 * The demo Connected App and user every emulator starts with. All values are fakes (they say so), and
 * are printed by `sf-oauth emulator` on purpose.
 */
/** A Connected App as the emulator's org holds it (not the request handler: that is EmulatorHandler). */
export interface ConnectedApp {
  readonly name: string
  readonly clientId: string
  readonly clientSecret: string
  /** Callback URLs, compared byte for byte as Salesforce does (docs/salesforce-oauth.md §8.4). */
  readonly redirectUris: readonly string[]
  /** Scopes the app has ("Selected OAuth Scopes"). */
  readonly scopes: readonly string[]
  readonly requirePkce: boolean
  readonly requireSecret: boolean
  readonly refreshTokenRotation: boolean
  /** "Admin approved users are pre-authorized": no consent page. */
  readonly preAuthorized: boolean
}

export interface EmulatorUser {
  readonly username: string
  readonly password: string
  readonly orgId: string
  readonly userId: string
  readonly firstName: string
  readonly lastName: string
  readonly email: string
  readonly active: boolean
  /** Base32 secret of the user's authenticator app (for the TOTP verification page). */
  readonly totpSecret: string
}

export const DEMO_APP: ConnectedApp = {
  name: 'sf-oauth-harness Demo App',
  clientId: '3MVG9FAKEDEMO.CLIENT.ID.sf_oauth_harness.emulator.not.a.real.consumer.key.0123456789abcd',
  clientSecret: 'FAKEDEMO0SECRET0000000000000000000000000000000000000000000000001',
  redirectUris: ['http://localhost:1717/OauthRedirect', 'http://localhost'],
  scopes: ['api', 'refresh_token', 'offline_access', 'id', 'openid', 'web', 'full', 'profile', 'email'],
  requirePkce: false,
  requireSecret: true,
  refreshTokenRotation: false,
  preAuthorized: false,
}

export const DEMO_USER: EmulatorUser = {
  username: 'demo.user@example.com',
  password: 'Demo-Passw0rd!',
  orgId: '00D5g00000FAKEDEAQ',
  userId: '0055g00000FAKEDAAA',
  firstName: 'Demo',
  lastName: 'User',
  email: 'demo.user@example.com',
  active: true,
  totpSecret: 'FAKEDEMOTOTPSECRETAAAAAAAAAAAAAA',
}

export interface Seed {
  readonly app: ConnectedApp
  readonly user: EmulatorUser
}

export const DEMO_SEED: Seed = { app: DEMO_APP, user: DEMO_USER }
