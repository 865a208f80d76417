/**
 * `sf-oauth curl`: the harness's requests (authorize, token exchange, refresh, userinfo, revoke) as curl
 * commands for the configured org, with every secret as an environment-variable reference.
 */
import { loadConfig } from '../../config.js'
import { type CliConfig, processConfig } from '../cli-config.js'
import { EXIT } from '../../errors.js'
import { CURL_VARIABLES, curlCommands } from '../../interop/curl.js'
import { parse } from '../args.js'
import { jsonErrors, type Io, Printer } from '../output.js'

export const CURL_HELP = `Usage: sf-oauth curl [--json]

Prints the equivalent curl commands of the flow for the configured org (SF_LOGIN_URL, SF_CLIENT_ID,
SF_REDIRECT_URI, SF_SCOPE, SF_PKCE): authorize URL, token exchange, refresh, userinfo, revoke. Secrets
are never printed: the commands refer to $SF_CLIENT_SECRET, $SF_CODE, $SF_CODE_VERIFIER,
$SF_REFRESH_TOKEN, $SF_ACCESS_TOKEN and $SF_INSTANCE_URL, which you export first.`

export async function curlCommand(argv: string[], io: Io, cli: CliConfig = processConfig()): Promise<number> {
  const { values } = parse('curl', argv, { json: { type: 'boolean' }, debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } })
  const out = new Printer(io)
  if (values.help) {
    out.own(CURL_HELP)
    return EXIT.OK
  }
  return jsonErrors(values.json, out, () => Promise.resolve().then(() => {
    const config = loadConfig(cli.env, { person: true })
    const settings = {
      // Without SF_LOGIN_URL the commands refer to it too (the embedded emulator has no fixed port).
      loginUrl: config.loginUrl,
      clientId: config.clientId,
      redirectUri: config.redirectUri,
      scope: config.scope,
      pkce: config.pkce,
      hasSecret: config.loginUrl === undefined || config.clientSecret !== undefined,
    }
    const commands = curlCommands(settings)
    const used = Object.entries(CURL_VARIABLES).filter(([k]) => commands.some((c) => c.command.includes(`$${k}`)))
    const extra: [string, string][] = [...(config.loginUrl === undefined ? [['SF_LOGIN_URL', 'the login host'] as [string, string]] : []), ...(config.clientId === undefined ? [['SF_CLIENT_ID', "the app's consumer key"] as [string, string]] : [])]
    const variables: Record<string, string> = Object.fromEntries([...extra, ...used])
    if (values.json) {
      out.json({ ok: true, variables, commands })
      return EXIT.OK
    }
    out.line('# Variables the commands use (export them; never paste a secret into a command line):')
    for (const [k, v] of Object.entries(variables)) out.line(`#   ${k.padEnd(18)} ${v}`)
    for (const c of commands) {
      out.line('')
      out.line(`# ${c.name}: ${c.description}`)
      // Values never hold a raw line break (curl.ts writes them as $'\n'): each line here is ours.
      for (const l of c.command.split('\n')) out.line(l)
    }
    return EXIT.OK
  }))
}
