/**
 * A Postman environment (the JSON that Postman's Environments > Import reads), so QA can go on in Postman
 * with the tokens of a run: `access_token`, `instance_url`, `refresh_token`, `client_id`. Token values are
 * of type "secret" (masked on screen in Postman; still plain text in the file, which is written 0600).
 */
import { randomUUID } from 'node:crypto'

export interface PostmanVariable {
  readonly key: string
  readonly value: string
  readonly type: 'default' | 'secret'
  readonly enabled: true
}

export interface PostmanEnvironment {
  readonly id: string
  readonly name: string
  readonly values: readonly PostmanVariable[]
  readonly _postman_variable_scope: 'environment'
  readonly _postman_exported_at: string
  readonly _postman_exported_using: string
}

export function postmanEnvironment(p: { name: string; accessToken: string; instanceUrl: string; refreshToken: string | null | undefined; clientId: string; loginUrl: string }, now = new Date()): PostmanEnvironment {
  const v = (key: string, value: string, type: PostmanVariable['type'] = 'default'): PostmanVariable => ({ key, value, type, enabled: true })
  return {
    id: randomUUID(),
    name: p.name,
    values: [
      v('access_token', p.accessToken, 'secret'),
      v('instance_url', p.instanceUrl),
      v('refresh_token', p.refreshToken ?? '', 'secret'),
      v('client_id', p.clientId),
      v('login_url', p.loginUrl),
    ],
    _postman_variable_scope: 'environment',
    _postman_exported_at: now.toISOString(),
    _postman_exported_using: 'sf-oauth-harness',
  }
}
