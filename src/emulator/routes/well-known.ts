/**
 * /.well-known/openid-configuration and /id/keys (docs/salesforce-oauth.md §5.5): every field of
 * login.salesforce.com's document, in its order, registration endpoint included (Salesforce Help,
 * "OpenID Connect Discovery Endpoint", remoteaccess_using_openid_discovery_endpoint).
 */
import type { Route } from '../context.js'
import { json } from '../http-util.js'
import { jwks } from '../keys.js'

export const openidConfiguration: Route = (ctx) => {
  const b = ctx.base
  json(ctx, 200, {
    issuer: b,
    authorization_endpoint: `${b}/services/oauth2/authorize`,
    token_endpoint: `${b}/services/oauth2/token`,
    revocation_endpoint: `${b}/services/oauth2/revoke`,
    userinfo_endpoint: `${b}/services/oauth2/userinfo`,
    jwks_uri: `${b}/id/keys`,
    register_endpoint: `${b}/services/oauth2/register`,
    introspection_endpoint: `${b}/services/oauth2/introspect`,
    scopes_supported: ['id', 'api', 'web', 'full', 'chatter_api', 'visualforce', 'refresh_token', 'openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'custom_permissions', 'wave_api', 'eclair_api'],
    response_types_supported: ['code', 'token', 'token id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    display_values_supported: ['page', 'popup', 'touch'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
    claims_supported: ['active', 'address', 'email', 'email_verified', 'family_name', 'given_name', 'is_app_installed', 'language', 'locale', 'name', 'nickname', 'organization_id', 'phone_number', 'phone_number_verified', 'photos', 'picture', 'preferred_username', 'profile', 'sub', 'updated_at', 'urls', 'user_id', 'user_type', 'zoneinfo'],
  })
}

export const keys: Route = (ctx) => {
  json(ctx, 200, jwks())
}
