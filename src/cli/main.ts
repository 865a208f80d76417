/** `sf-oauth`: the command-line entry. Returns the exit code; never prints a stack unless --debug. */
import { ERR, EXIT, exitCodeOf, HarnessError, UsageError } from '../errors.js'
import { redactor } from '../redact.js'
import { jsonForTerminal, sanitiseBlock, sanitiseLine } from '../sanitise.js'
import { type CliConfig, processConfig } from './cli-config.js'
import { guardStderr, type Io, processIo } from './output.js'

export const HELP = `Usage: sf-oauth <command> [options]

Commands:
  flow       run the OAuth 2.0 web server flow end to end and check every step
  login      log in yourself in your own browser (SSO, MFA, passkeys); the harness does the rest
  authorize-url / exchange   the same by copy and paste, for a redirect URI nothing local can listen on
  emulator   run the embedded Salesforce OAuth emulator on its own
  refresh    refresh a saved token set (rotation-aware, safe under concurrent runs)
  revoke     revoke a saved token set
  check      validate the saved tokens of many targets (targets file), with JUnit and JSON reports
  report     the history of check --history as a static HTML dashboard
  curl       print the flow's requests as curl commands, secrets as environment variables
  export     postman|bruno|curl|sfdx-url: the requests as a Postman or Bruno collection with tests
  doctor     check the configuration: login host (DNS, TLS, HTTP), redirect URI, PKCE
  replay     replay a transcript saved by flow --record DIR (or a recorded fixture) offline
  record     record Salesforce's answers to the token calls as a masked nock fixture (npm run record)
  passkey    passkey enrol: create a passkey for SF_PASSKEY_FILE with a virtual authenticator
  setup      find or install a browser for the flow (and, in a clone, install and build)

Run sf-oauth <command> --help for a command's options.
Exit codes: 0 success; 1 a check failed or Salesforce refused; 2 usage or config; 3 infrastructure.`

type Command = (argv: string[], io: Io, config: CliConfig) => Promise<number>

/** Loaded on demand: only `flow` needs Playwright, and start-up time is paid on every CI call. */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  flow: async () => (await import('./commands/flow.js')).flowCommand,
  login: async () => (await import('./commands/login.js')).loginCommand,
  'authorize-url': async () => (await import('./commands/authorize-url.js')).authorizeUrlCommand,
  exchange: async () => (await import('./commands/exchange.js')).exchangeCommand,
  emulator: async () => (await import('./commands/emulator.js')).emulatorCommand,
  refresh: async () => (await import('./commands/refresh.js')).refreshCommand,
  revoke: async () => (await import('./commands/refresh.js')).revokeCommand,
  check: async () => (await import('./commands/check.js')).checkCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
  curl: async () => (await import('./commands/curl.js')).curlCommand,
  // `export curl` is the curl command (kept as `curl` too); routed here, so no command imports another.
  export: async () => {
    const { exportCommand } = await import('./commands/export.js')
    return async (argv, io, config) => (argv[0] === 'curl' ? (await import('./commands/curl.js')).curlCommand(argv.slice(1), io, config) : exportCommand(argv, io, config))
  },
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  replay: async () => (await import('./commands/replay.js')).replayCommand,
  record: async () => (await import('./commands/record.js')).recordCommand,
  passkey: async () => (await import('./commands/passkey.js')).passkeyCommand,
  setup: async () => (await import('./commands/setup.js')).setupCommand,
}

/** `config`: the environment and more, injected (tests run main in process with their own); see cli-config.ts. */
export async function main(argv: string[], io: Io = processIo, config?: CliConfig): Promise<number> {
  // The real process: what a library prints to stderr past our Printer is redacted as well.
  if (io === processIo) guardStderr()
  const debug = argv.includes('--debug')
  const [name, ...rest] = argv
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout(`${HELP}\n`)
      return name === undefined ? EXIT.USAGE : EXIT.OK
    }
    const load = COMMANDS[name]
    if (load === undefined) throw new UsageError(`unknown command "${name}": use one of ${Object.keys(COMMANDS).join(', ')} (sf-oauth --help)`)
    return await (await load())(rest, io, config ?? processConfig())
  } catch (err) {
    return report(err, io, debug)
  }
}

function report(err: unknown, io: Io, debug: boolean): number {
  if (err instanceof HarnessError) {
    io.stderr(`${sanitiseLine(redactor.text(`✗ ${err.code}: ${err.message}`))}\n`)
    if (debug) io.stderr(`${sanitiseBlock(redactor.text(err.stack ?? ''))}\n${jsonForTerminal(redactor.value(err.cause) ?? null)}\n`)
    return err.exitCode
  }
  const message = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)
  io.stderr(`${sanitiseLine(redactor.text(`✗ ${ERR.INTERNAL_ERROR}: ${message}: rerun with --debug and report it`))}\n`)
  if (debug && err instanceof Error) io.stderr(`${sanitiseBlock(redactor.text(err.stack ?? ''))}\n`)
  return exitCodeOf(ERR.INTERNAL_ERROR)
}
