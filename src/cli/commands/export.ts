/**
 * `sf-oauth export postman|bruno|sfdx-url` (and `export curl`, routed to the curl command by the command
 * table): the harness's requests for other tools. Collections hold no secret (every secret is a
 * `{{variable}}`); the sfdx auth URL does, so it is written 0600 like a token file.
 */
import { type CliConfig, processConfig } from '../cli-config.js'
import { join } from 'node:path'
import { loadConfig, type HarnessConfig } from '../../config.js'
import { EXIT, UsageError } from '../../errors.js'
import { BRUNO_ENVIRONMENT, brunoCollection } from '../../interop/bruno.js'
import type { CollectionSettings } from '../../interop/collection.js'
import { postmanCollection, postmanCollectionEnvironment } from '../../interop/postman-collection.js'
import { sfdxAuthUrl } from '../../interop/sfdx-url.js'
import { assertDistinctOutputs, assertNoLinkAt, assertOutputDir, assertWritableTarget, fileInDir, makeOutputDir, writeFileAtomic } from '../../store/atomic.js'
import { readTokenFile } from '../../store/token-store.js'
import { parse } from '../args.js'
import { jsonErrors, type Io, Printer } from '../output.js'

export const EXPORT_HELP = `Usage: sf-oauth export <postman|bruno|curl|sfdx-url> [options]

  postman [--out DIR]   write DIR/sf-oauth.postman_collection.json (Postman Collection v2.1) and
                        DIR/sf-oauth.postman_environment.json: authorize URL (the browser step), code
                        exchange, userinfo, identity URL, introspect, refresh, revoke, each with tests
                        asserting what sf-oauth flow checks. Import both in Postman, or:
                        newman run DIR/sf-oauth.postman_collection.json -e DIR/sf-oauth.postman_environment.json
  bruno [--out DIR]     write a Bruno collection folder DIR (bruno.json, one .bru per request,
                        environments/${BRUNO_ENVIRONMENT}.bru); Bruno > Open Collection, or:
                        cd DIR && bru run --env ${BRUNO_ENVIRONMENT}
  curl [--json]         print the requests as curl commands (same as sf-oauth curl)
  sfdx-url --file TOKENS --out FILE
                        write force://<clientId>:<clientSecret>:<refreshToken>@<instance> (mode 0600)
                        from a token file of sf-oauth flow --save; the secret is SF_CLIENT_SECRET.
                        For: sf org login sfdx-url --sfdx-url-file FILE

Collections hold no secret: client_secret, code, code_verifier and the tokens are variables, empty in
the environment, filled in by you. Default DIR: ./sf-oauth-postman, ./sf-oauth-bruno.
Options: --json (one JSON object), -h/--help.`

export const POSTMAN_COLLECTION_FILE = 'sf-oauth.postman_collection.json'
export const POSTMAN_ENVIRONMENT_FILE = 'sf-oauth.postman_environment.json'

function settingsOf(config: HarnessConfig): CollectionSettings {
  return { loginUrl: config.loginUrl?.replace(/\/$/, ''), clientId: config.clientId, redirectUri: config.redirectUri, scope: config.scope, pkce: config.pkce }
}

export async function exportCommand(argv: string[], io: Io, cli: CliConfig = processConfig()): Promise<number> {
  const { values, positionals } = parse('export', argv, {
    out: { type: 'string' },
    file: { type: 'string' },
    json: { type: 'boolean' },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }, true)
  const out = new Printer(io)
  if (values.help) {
    out.own(EXPORT_HELP)
    return EXIT.OK
  }
  return jsonErrors(values.json, out, async () => {
    const [what, ...extra] = positionals
    if (extra.length > 0) throw new UsageError(`export: unexpected argument "${extra[0] ?? ''}": give one of postman, bruno, curl, sfdx-url and options (sf-oauth export --help)`)
    if (what === 'postman') return exportPostman(values.out ?? 'sf-oauth-postman', values.json === true, out, () => loadConfig(cli.env))
    if (what === 'bruno') return exportBruno(values.out ?? 'sf-oauth-bruno', values.json === true, out, () => loadConfig(cli.env))
    if (what === 'sfdx-url') return exportSfdxUrl(values.file, values.out, values.json === true, out, () => loadConfig(cli.env))
    throw new UsageError(`export: ${what === undefined ? 'say what to export' : `unknown export "${what}"`}: use sf-oauth export postman|bruno|curl|sfdx-url (sf-oauth export --help)`)
  })
}

async function exportPostman(dir: string, json: boolean, out: Printer, loadEnvConfig: () => HarnessConfig): Promise<number> {
  const files = [fileInDir(dir, POSTMAN_COLLECTION_FILE, '--out'), fileInDir(dir, POSTMAN_ENVIRONMENT_FILE, '--out')]
  await assertOutputDir(dir, '--out')
  for (const f of files) await assertNoLinkAt(f, '--out')
  const config = loadEnvConfig()
  const s = settingsOf(config)
  await makeOutputDir(dir, '--out')
  // No secret inside: readable like any source file.
  await writeFileAtomic(files[0] as string, `${JSON.stringify(postmanCollection(s), null, 2)}\n`, 0o644)
  await writeFileAtomic(files[1] as string, `${JSON.stringify(postmanCollectionEnvironment(s, s.loginUrl === undefined ? 'sf-oauth' : `sf-oauth ${new URL(s.loginUrl).host}`), null, 2)}\n`, 0o644)
  return done(out, json, files, [
    'Postman: Import both files, fill in client_secret in the environment, open "1 authorize URL" in a browser,',
    'put the code of the redirect into `code`, then run the collection. Or: newman run COLLECTION -e ENVIRONMENT',
    ...(s.loginUrl === undefined ? ['login_url is empty (no SF_LOGIN_URL): fill it in, e.g. the URL sf-oauth emulator prints'] : []),
  ])
}

async function exportBruno(dir: string, json: boolean, out: Printer, loadEnvConfig: () => HarnessConfig): Promise<number> {
  await assertOutputDir(dir, '--out')
  const config = loadEnvConfig()
  const s = settingsOf(config)
  const files = brunoCollection(s)
  const paths = files.map((f) => join(dir, ...f.path.split('/')))
  for (const p of paths) await assertNoLinkAt(p, '--out')
  await makeOutputDir(dir, '--out')
  await makeOutputDir(join(dir, 'environments'), '--out')
  for (const [i, f] of files.entries()) await writeFileAtomic(paths[i] as string, f.text, 0o644)
  return done(out, json, paths, [
    `Bruno: Open Collection ${dir}, pick environment ${BRUNO_ENVIRONMENT}, fill in the secrets; or: cd ${dir} && bru run --env ${BRUNO_ENVIRONMENT} --env-var client_secret=… --env-var code=…`,
  ])
}

async function exportSfdxUrl(file: string | undefined, to: string | undefined, json: boolean, out: Printer, loadEnvConfig: () => HarnessConfig): Promise<number> {
  if (file === undefined || file === '') throw new UsageError('export sfdx-url needs --file TOKENS: the token file of sf-oauth flow --save')
  if (to === undefined || to === '') throw new UsageError('export sfdx-url needs --out FILE: where to write the auth URL (mode 0600)')
  await assertWritableTarget(to, '--out')
  await assertDistinctOutputs([{ flag: '--file', path: file }, { flag: '--out', path: to }])
  const config = loadEnvConfig()
  const set = await readTokenFile(file, { expect: config.loginUrl === undefined ? undefined : { loginUrl: config.loginUrl, from: 'SF_LOGIN_URL' } })
  const u = sfdxAuthUrl({ clientId: set.clientId, clientSecret: config.clientSecret, refreshToken: set.refreshToken, instanceUrl: set.instanceUrl })
  await writeFileAtomic(to, `${u.url}\n`, 0o600)
  return done(out, json, [to], [`sf org login sfdx-url --sfdx-url-file ${to}`, ...(u.warning === undefined ? [] : [`! ${u.warning}`])])
}

function done(out: Printer, json: boolean, files: readonly string[], notes: readonly string[]): number {
  if (json) {
    out.json({ ok: true, files, notes })
    return EXIT.OK
  }
  for (const f of files) out.line(`  wrote ${f}`)
  for (const n of notes) out.line(n)
  return EXIT.OK
}
