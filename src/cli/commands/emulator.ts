/** `sf-oauth emulator`: the embedded Salesforce emulator on its own, until SIGINT or SIGTERM. */
import { isIP } from 'node:net'
import { EXIT, HarnessError, InfraError } from '../../errors.js'
import { startEmulator, type RunningEmulator } from '../../emulator/index.js'
import { intOption, parse } from '../args.js'
import { type Io, Printer } from '../output.js'
import type { CliConfig } from '../cli-config.js'

export const EMULATOR_HELP = `Usage: sf-oauth emulator [--port N] [--host H] [--json]

Runs the Salesforce OAuth emulator alone, as if it were an org: point SF_LOGIN_URL at the URL it prints.
It serves until SIGINT or SIGTERM, then exits 0. The seeded app and user are printed (they are fakes).

Options:
  --port N    port to listen on (default 0: a free port)
  --host H    address to bind (default 127.0.0.1; anything but loopback exposes the emulator and its
              control API to the network, and says so on stderr)
  --json      print one JSON line: url, clientId, clientSecret, username, password, redirectUris
  -h, --help  this help`

export async function emulatorCommand(argv: string[], io: Io, cli?: CliConfig): Promise<number> {
  const signal = cli?.signal
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
  const host = values.host ?? '127.0.0.1'
  if (!HOSTNAME_RE.test(host) && isIP(host) === 0) throw hostInvalid(host, 'is not an IP address or host name')
  // Said before listening, so it is said even when binding then fails.
  if (!isLoopback(host)) {
    out.error(`! --host ${host} is not a loopback address: anyone who can reach this machine can use the emulator and its control API (/__emulator/: reset, configure, clock). Use it only on a network you trust; the default is 127.0.0.1.`)
  }
  const emulator = await listen(host, port)
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
    const stop = () => {
      // In process (tests: main with a signal) the listeners must not outlive the command.
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    if (signal?.aborted === true) stop()
    signal?.addEventListener('abort', stop, { once: true })
  })
  await emulator.close()
  return EXIT.OK
}

const HOSTNAME_RE = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

function hostInvalid(host: string, why: string): HarnessError {
  return new HarnessError('EMULATOR_HOST_INVALID', `--host "${host}" ${why}: use an address of this machine, e.g. 127.0.0.1 (default), ::1 or localhost`)
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost: reachable from this machine only. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^::ffff:/, '')
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'))
}

/** Listen, turning the system's refusals into typed errors with the fix (no stack). */
async function listen(host: string, port: number): Promise<RunningEmulator> {
  try {
    return await startEmulator({ host, port })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new InfraError('EMULATOR_PORT_IN_USE', `--port ${port} on ${host} is already in use: stop what listens there, or pick another port (--port 0 picks a free one)`)
    if (code === 'EACCES') throw new InfraError('EMULATOR_PORT_DENIED', `--port ${port} on ${host} needs privileges this user lacks: use a port from 1024 up, or --port 0`)
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') throw hostInvalid(host, 'does not resolve to an address')
    if (code === 'EADDRNOTAVAIL' || code === 'EINVAL' || code === 'EAFNOSUPPORT') throw hostInvalid(host, 'is not an address of this machine')
    throw err
  }
}
