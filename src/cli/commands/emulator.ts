/** `sf-oauth emulator`: the embedded Salesforce emulator on its own, until SIGINT or SIGTERM. */
import { isIP } from 'node:net'
import { EXIT, HarnessError, InfraError, UsageError } from '../../errors.js'
import { DEMO_SEED, startEmulator, type RunningEmulator } from '../../emulator/index.js'
import { isLoopbackHost } from '../../oauth/hosts.js'
import { intOption, parse } from '../args.js'
import { type Io, Printer } from '../output.js'
import type { CliConfig } from '../cli-config.js'

export const EMULATOR_HELP = `Usage: sf-oauth emulator [--port N] [--host H] [--tls] [--callback-url URL]... [--json]

Runs the Salesforce OAuth emulator alone, as if it were an org: point SF_LOGIN_URL at the URL it prints.
It serves until SIGINT or SIGTERM, then exits 0. The seeded app and user are printed (they are fakes).

Options:
  --port N    port to listen on (default 0: a free port)
  --host H    address to bind (default 127.0.0.1; anything but loopback exposes the emulator and its
              control API to the network, and says so on stderr)
  --tls       serve https with a throwaway CA made at start (needs the openssl command); the CA file's
              path is printed: trust it with NODE_EXTRA_CA_CERTS=<file> (Node reads it at start)
  --callback-url URL
              one more Callback URL of the seeded app (repeatable), e.g. a loopback port of your own
              for sf-oauth login; Salesforce compares them byte for byte, and so does the emulator
  --json      print one JSON line: url, passkeyUrl, clientId, clientSecret, username, password,
              redirectUris (and caFile with --tls)
  -h, --help  this help`

export async function emulatorCommand(argv: string[], io: Io, cli?: CliConfig): Promise<number> {
  const signal = cli?.signal
  const { values } = parse('emulator', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'callback-url': { type: 'string', multiple: true },
    json: { type: 'boolean' },
    tls: { type: 'boolean' },
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
  if (!isLoopbackHost(host)) {
    out.error(`! --host ${host} is not a loopback address: anyone who can reach this machine can use the emulator and its control API (/__emulator/: reset, configure, clock). Use it only on a network you trust; the default is 127.0.0.1.`)
  }
  const callbackUrls = values['callback-url'] ?? []
  for (const u of callbackUrls) if (!URL.canParse(u)) throw new UsageError(`--callback-url "${u}" is not a URL: give a Callback URL such as http://localhost:8484/callback`)
  const emulator = await listen(host, port, values.tls === true, callbackUrls)
  const { app, user } = emulator.app.seed
  // WebAuthn needs a host name as RP ID, never an IP address: on 127.0.0.1, localhost reaches the same socket.
  const passkeyUrl = /^http:\/\/127\.\d+\.\d+\.\d+:/.test(emulator.url) ? emulator.url.replace(/^http:\/\/[\d.]+:/, 'http://localhost:') : undefined
  if (values.json) {
    out.json({ url: emulator.url, ...(passkeyUrl === undefined ? {} : { passkeyUrl }), clientId: app.clientId, clientSecret: app.clientSecret, username: user.username, password: user.password, redirectUris: app.redirectUris, ...(emulator.tls === undefined ? {} : { caFile: emulator.tls.caFile }) })
  } else {
    out.line(`Salesforce OAuth emulator listening on ${emulator.url}`)
    out.line(`  SF_LOGIN_URL=${emulator.url}`)
    if (passkeyUrl !== undefined) out.line(`  for passkeys: SF_LOGIN_URL=${passkeyUrl} (an IP address cannot be a WebAuthn RP ID)`)
    out.line(`  SF_CLIENT_ID=${app.clientId}`)
    out.line(`  SF_CLIENT_SECRET=${app.clientSecret}`)
    out.line(`  SF_USERNAME=${user.username}`)
    out.line(`  SF_PASSWORD=${user.password}`)
    out.line(`  callback URLs: ${app.redirectUris.join(', ')}`)
    if (emulator.tls !== undefined) out.line(`  CA (trust it): NODE_EXTRA_CA_CERTS=${emulator.tls.caFile}`)
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

/** Listen, turning the system's refusals into typed errors with the fix (no stack). */
async function listen(host: string, port: number, tls: boolean, callbackUrls: readonly string[]): Promise<RunningEmulator> {
  const seed = callbackUrls.length === 0 ? {} : { seed: { ...DEMO_SEED, app: { ...DEMO_SEED.app, redirectUris: [...DEMO_SEED.app.redirectUris, ...callbackUrls] } } }
  try {
    return await startEmulator({ host, port, tls, ...seed })
  } catch (err) {
    if (err instanceof Error && err.name === 'TlsUnavailableError') throw new InfraError('EMULATOR_TLS_UNAVAILABLE', `--tls could not make its certificates (${err.message}): install openssl, or run without --tls`)
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new InfraError('EMULATOR_PORT_IN_USE', `--port ${port} on ${host} is already in use: stop what listens there, or pick another port (--port 0 picks a free one)`)
    if (code === 'EACCES') throw new InfraError('EMULATOR_PORT_DENIED', `--port ${port} on ${host} needs privileges this user lacks: use a port from 1024 up, or --port 0`)
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL' || code === 'EAI_NONAME') throw hostInvalid(host, 'does not resolve to an address')
    if (code === 'EADDRNOTAVAIL' || code === 'EINVAL' || code === 'EAFNOSUPPORT') throw hostInvalid(host, 'is not an address of this machine')
    throw err
  }
}
