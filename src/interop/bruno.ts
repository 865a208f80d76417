/**
 * The collection (src/interop/collection.ts) as a Bruno collection: `bruno.json`, one `.bru` file per
 * request and `environments/<name>.bru`, the folder Bruno's "Open Collection" and `bru run` read. Secrets
 * are `{{variables}}`, listed under `vars:secret` with no value (Bruno keeps their values outside the
 * folder). Pure code: returns file names and contents.
 * Format: https://docs.usebruno.com/bru-lang/overview
 */
import { COLLECTION_NAME, collectionRequests, collectionVariables, SF_HELPERS, type CollectionRequest, type CollectionSettings } from './collection.js'

export interface BrunoFile {
  /** Relative to the collection folder, `/`-separated. */
  readonly path: string
  readonly text: string
}

export const BRUNO_ENVIRONMENT = 'sf-oauth'

/** Bruno's sandbox: `res` for the answer, `bru` for variables, `test` with chai; crypto-js by require. */
const PRELUDE = [
  "const C = require('crypto-js');",
  'const sf = {',
  '  status: () => res.getStatus(),',
  '  header: (name) => res.getHeader(name),',
  // Bruno hands a JSON body over parsed: serialise it back, so the checks read it as the other tools do.
  "  text: () => { const b = res.getBody(); return typeof b === 'string' ? b : JSON.stringify(b); },",
  '  get: (key) => bru.getEnvVar(key),',
  '  set: (key, value) => bru.setEnvVar(key, value),',
  '  check: (name, fn) => test(name, fn),',
  '};',
  ...SF_HELPERS,
]

/** A value on one line of a Bru block: no line break can end the block early. */
function oneLine(v: string): string {
  if (/[\r\n]/.test(v)) throw new Error('a Bru value cannot span lines')
  return v
}

const block = (name: string, lines: readonly string[]) => `${name} {\n${lines.map((l) => `  ${l}`).join('\n')}\n}\n`

function requestFile(r: CollectionRequest, seq: number): string {
  const query = r.query.map(([k, v]) => `${k}=${v}`).join('&')
  const url = query === '' ? r.url : `${r.url}?${query}`
  const parts = [
    block('meta', [`name: ${oneLine(r.name)}`, 'type: http', `seq: ${seq}`]),
    block(r.method.toLowerCase(), [`url: ${oneLine(url)}`, `body: ${r.form === undefined ? 'none' : 'formUrlEncoded'}`, 'auth: none']),
  ]
  if (r.query.length > 0) parts.push(block('params:query', r.query.map(([k, v]) => `${k}: ${oneLine(v)}`)))
  if (r.headers.length > 0) parts.push(block('headers', r.headers.map(([k, v]) => `${k}: ${oneLine(v)}`)))
  if (r.form !== undefined) parts.push(block('body:form-urlencoded', r.form.map(([k, v]) => `${k}: ${oneLine(v)}`)))
  if (r.preRequest.length > 0) parts.push(block('script:pre-request', [...PRELUDE, ...r.preRequest]))
  parts.push(block('tests', [...PRELUDE, ...r.tests]))
  parts.push(block('settings', ['encodeUrl: true', `followRedirects: ${String(r.followRedirects)}`]))
  parts.push(block('docs', [oneLine(r.description)]))
  return parts.join('\n')
}

/** The collection's files: bruno.json, the requests, the environment. */
export function brunoCollection(s: CollectionSettings): BrunoFile[] {
  const requests = collectionRequests(s)
  const vars = collectionVariables(s)
  const env = [
    block('vars', vars.filter((v) => !v.secret).map((v) => `${v.key}: ${oneLine(v.value)}`)),
    `vars:secret [\n${vars.filter((v) => v.secret).map((v) => `  ${v.key}`).join(',\n')}\n]\n`,
  ].join('\n')
  return [
    { path: 'bruno.json', text: `${JSON.stringify({ version: '1', name: COLLECTION_NAME, type: 'collection', ignore: ['node_modules', '.git'] }, null, 2)}\n` },
    ...requests.map((r, i) => ({ path: `${r.name}.bru`, text: requestFile(r, i + 1) })),
    { path: `environments/${BRUNO_ENVIRONMENT}.bru`, text: env },
  ]
}
