/**
 * `sf-oauth authorize-url --pending FILE`: the first half of the copy-and-paste path, for a redirect URI
 * nothing on this machine can listen on (port 80, a remote machine over SSH, an https callback of a web
 * app). Prints the authorize URL as the only line on stdout; FILE keeps what the exchange needs.
 */
import { type CliConfig, processConfig } from '../cli-config.js'
import { loadConfig } from '../../config.js'
import { EXIT, UsageError } from '../../errors.js'
import { beginAuthorization, PENDING_LIFETIME_MS, toPending } from '../../flow/by-hand.js'
import { FlowLog } from '../../flow/code-flow.js'
import { assertWritableTarget } from '../../store/atomic.js'
import { writePendingFile } from '../../store/pending-file.js'
import { shellPath } from '../../store/token-file.js'
import { parse } from '../args.js'
import { handTarget } from '../flow-outputs.js'
import { type Io, Printer } from '../output.js'

export const AUTHORIZE_URL_HELP = `Usage: sf-oauth authorize-url --pending FILE

Prints the authorize URL of the web server flow (state, PKCE S256, SF_SCOPE) as the only line on
stdout, and writes FILE (mode 0600): the state, the PKCE verifier, the redirect URI, scope, client id
and login URL. Open the URL in any browser, log in however your org asks, click Allow, and copy the
address the browser ends at (SF_REDIRECT_URI?code=...). Then, within 15 minutes (a code's life):

  sf-oauth exchange --pending FILE      and paste the address (read from stdin, not argv)

Needs SF_LOGIN_URL and SF_CLIENT_ID (and SF_CLIENT_SECRET if the app requires it), never a password.
For a redirect URI on this machine's loopback with a free port, sf-oauth login does both halves.

Options:
  --pending FILE  where the pending authorization is kept (mode 0600; exchange deletes it)
  -h, --help      this help`

export async function authorizeUrlCommand(argv: string[], io: Io, cli: CliConfig = processConfig(), now: () => number = Date.now): Promise<number> {
  const { values } = parse('authorize-url', argv, {
    pending: { type: 'string' },
    debug: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  const out = new Printer(io)
  if (values.help) {
    out.own(AUTHORIZE_URL_HELP)
    return EXIT.OK
  }
  const file = values.pending
  if (file === undefined) throw new UsageError('authorize-url needs --pending FILE: the exchange needs the state and PKCE verifier kept there (see sf-oauth authorize-url --help)')
  await assertWritableTarget(file, '--pending')
  const target = handTarget(loadConfig(cli.env, { person: true }), 'authorize-url')
  const request = beginAuthorization(target, new FlowLog(undefined))
  await writePendingFile(file, toPending(target, request, now()))
  out.line(request.url)
  out.error(`Open the URL above in a browser, log in, click Allow, then run: sf-oauth exchange --pending ${shellPath(file)} and paste the address the browser ends at (within ${PENDING_LIFETIME_MS / 60_000} minutes).`)
  return EXIT.OK
}
