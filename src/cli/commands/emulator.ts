/** `sf-oauth emulator`: the embedded Salesforce emulator on its own, until SIGINT or SIGTERM. */
import { EXIT } from '../../errors.js'
import { startEmulator } from '../../emulator/index.js'
import { intOption, parse } from '../args.js'
import { type Io, Printer } from '../output.js'

export const EMULATOR_HELP = `Usage: sf-oauth emulator [--port N] [--host H] [--json]

Runs the Salesforce OAuth emulator alone, as if it were an org: point SF_LOGIN_URL at the URL it prints.
It serves until SIGINT or SIGTERM, then exits 0. The seeded app and user are printed (they are fakes).

Options:
  --port N    port to listen on (default 0: a free port)
  --host H    address to bind (default 127.0.0.1)
  --json      print one JSON line: url, clientId, clientSecret, username, password, redirectUris
  -h, --help  this help`

export async function emulatorCommand(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  const { values } = parse('emulator', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  })
  // The seed is fake and printed on purpose: a user needs it to log in, so no masking here.
  const out = new Printer(io, true)
  if (values.help) {
    out.own(EMULATOR_HELP)
    return EXIT.OK
  }
  const port = intOption('port', values.port, 0, 65535) ?? 0
  const emulator = await startEmulator({ host: values.host ?? '127.0.0.1', port })
  const { app, user } = emulator.app.seed
  if (values.json) {
    out.json({ url: emulator.url, clientId: app.clientId, clientSecret: app.clientSecret, username: user.username, password: user.password, redirectUris: app.redirectUris })
  } else {
    out.line(`Salesforce OAuth emulator listening on ${emulator.url}`)
    out.line(`  SF_LOGIN_URL=${emulator.url}`)
    out.line(`  SF_CLIENT_ID=${app.clientId}`)
    out.line(`  SF_CLIENT_SECRET=${app.clientSecret}`)
    out.line(`  SF_USERNAME=${user.username}`)
    out.line(`  SF_PASSWORD=${user.password}`)
    out.line(`  callback URLs: ${app.redirectUris.join(', ')}`)
    out.line('Press Ctrl+C to stop.')
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    signal?.addEventListener('abort', stop, { once: true })
  })
  await emulator.close()
  return EXIT.OK
}
