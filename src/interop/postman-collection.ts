/**
 * The collection (src/interop/collection.ts) as a Postman Collection v2.1 plus its environment, the two
 * files Postman's Import reads and `newman run` takes. Secrets are `{{variables}}`; in the environment
 * they are empty and of type "secret". Pure code.
 * Format: https://schema.getpostman.com/json/collection/v2.1.0/collection.json
 */
import { randomUUID } from 'node:crypto'
import { COLLECTION_NAME, collectionRequests, collectionVariables, SF_HELPERS, type CollectionRequest, type CollectionSettings } from './collection.js'
import type { PostmanVariable } from './postman.js'

export const POSTMAN_SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json'

/** Postman's sandbox: `pm` for the exchange and the environment, CryptoJS built in. */
const PRELUDE = [
  'const C = CryptoJS;',
  'const sf = {',
  '  status: () => pm.response.code,',
  '  header: (name) => pm.response.headers.get(name),',
  '  text: () => pm.response.text(),',
  '  get: (key) => pm.environment.get(key),',
  '  set: (key, value) => pm.environment.set(key, value),',
  '  check: (name, fn) => pm.test(name, fn),',
  '};',
  ...SF_HELPERS,
]

export interface PostmanCollection {
  readonly info: { readonly _postman_id: string; readonly name: string; readonly description: string; readonly schema: string }
  readonly item: readonly unknown[]
}

function item(r: CollectionRequest): unknown {
  const query = r.query.map(([key, value]) => `${key}=${value}`).join('&')
  const raw = query === '' ? r.url : `${r.url}?${query}`
  const script = (lines: readonly string[]) => ({ type: 'text/javascript', exec: [...PRELUDE, ...lines] })
  return {
    name: r.name,
    event: [
      ...(r.preRequest.length > 0 ? [{ listen: 'prerequest', script: script(r.preRequest) }] : []),
      { listen: 'test', script: script(r.tests) },
    ],
    protocolProfileBehavior: { followRedirects: r.followRedirects, disableCookies: true },
    request: {
      method: r.method,
      description: r.description,
      header: r.headers.map(([key, value]) => ({ key, value })),
      ...(r.form === undefined ? {} : { body: { mode: 'urlencoded', urlencoded: r.form.map(([key, value]) => ({ key, value, type: 'text' })) } }),
      // A string URL: Postman parses `{{login_url}}/path?x={{y}}` itself.
      url: raw,
    },
  }
}

export function postmanCollection(s: CollectionSettings): PostmanCollection {
  return {
    info: {
      _postman_id: randomUUID(),
      name: COLLECTION_NAME,
      description: 'Exported by sf-oauth export postman. Fill in client_secret in the environment; run "1 authorize URL" in a browser (see its description) and put the code into `code`; then run the rest in order. Every test asserts what sf-oauth flow checks.',
      schema: POSTMAN_SCHEMA,
    },
    item: collectionRequests(s).map(item),
  }
}

export interface PostmanCollectionEnvironment {
  readonly id: string
  readonly name: string
  readonly values: readonly PostmanVariable[]
  readonly _postman_variable_scope: 'environment'
  readonly _postman_exported_using: string
}

/** The collection's variables as a Postman environment: secrets empty, of type secret. */
export function postmanCollectionEnvironment(s: CollectionSettings, name: string): PostmanCollectionEnvironment {
  return {
    id: randomUUID(),
    name,
    values: collectionVariables(s).map((v) => ({ key: v.key, value: v.value, type: v.secret ? 'secret' : 'default', enabled: true })),
    _postman_variable_scope: 'environment',
    _postman_exported_using: 'sf-oauth-harness',
  }
}
