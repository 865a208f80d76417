/** `sf-oauth passkey enrol`: create a passkey for the user with a virtual authenticator and save it for SF_PASSKEY_FILE. */
import { type CliConfig, processConfig } from '../cli-config.js'
import { loadConfig } from '../../config.js'
import { EXIT, UsageError } from '../../errors.js'
import { assertWritableTarget } from '../../store/atomic.js'
import { writePasskeyFile } from '../../store/passkey-file.js'
import { resolveTarget } from '../../targets/resolve.js'
import { parse } from '../args.js'
import { ms, type Io, Printer } from '../output.js'

export const PASSKEY_HELP = `Usage: sf-oauth passkey enrol [--out FILE] [--headed]

Logs in as SF_USERNAME through the authorize URL with a fresh virtual authenticator in the browser,
creates a passkey on the org's "Create a Passkey" prompt (or, when the org shows none, on the user's
own "Create a Passkey" page), and saves it as a DevTools WebAuthn.Credential for SF_PASSKEY_FILE.
Passkeys need an https or http://localhost login URL: an IP address cannot be a WebAuthn RP ID.
Salesforce's acceptance of a virtual authenticator's login is not publicly confirmed: keep an
authenticator app (SF_TOTP_SECRET) as a fallback (docs/login-pages.md).

Options:
  --out FILE   where to save the passkey (default SF_PASSKEY_FILE); mode 0600, written atomically
  --headed     show the browser (for orgs that need a human for the first step)
  -h, --help   this help`

export async function passkeyCommand(argv: string[], io: Io, cli: CliConfig = processConfig()): Promise<number> {
  const { values, positionals } = parse('passkey', argv, { out: { type: 'string' }, headed: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, true)
  const out = new Printer(io, false)
  if (values.help) {
    out.own(PASSKEY_HELP)
    return EXIT.OK
  }
  if (positionals.length !== 1 || positionals[0] !== 'enrol') throw new UsageError('use sf-oauth passkey enrol [--out FILE] [--headed] (sf-oauth passkey --help)')
  const config = loadConfig(cli.env)
  const file = values.out ?? config.passkeyFile
  if (file === undefined) throw new UsageError('sf-oauth passkey enrol needs --out FILE (or SF_PASSKEY_FILE) to save the passkey in')
  await assertWritableTarget(file, values.out === undefined ? 'SF_PASSKEY_FILE' : '--out')
  const resolved = await resolveTarget(config)
  // The embedded emulator listens on 127.0.0.1; WebAuthn needs a host name, and localhost is the same socket.
  const target = resolved.emulator === undefined ? resolved.target : { ...resolved.target, loginUrl: resolved.target.loginUrl.replace('://127.0.0.1:', '://localhost:') }
  out.line(`sf-oauth passkey enrol → ${resolved.emulator === undefined ? resolved.label : `embedded emulator ${target.loginUrl}`}`)
  try {
    const { enrolPasskey } = await import('../../flow/passkey-enrol.js')
    const result = await enrolPasskey({
      target,
      timeoutMs: config.timeoutMs,
      headless: values.headed !== true && config.headless,
      browserPath: config.browserPath,
      proxies: config.proxies,
      verification: { totpSecret: config.totpSecret, codeCommand: config.verificationCodeCommand },
      onStep: (name, durationMs, detail) => out.line(`  ✓ ${name.padEnd(26)} ${ms(durationMs).padStart(8)}${detail ? `  ${detail}` : ''}`),
    })
    await writePasskeyFile(file, result.credential)
    out.line(`  passkey for ${result.credential.rpId} created on ${result.where === 'prompt' ? 'the registration prompt' : "the user's own page"}`)
    out.line(`  saved to ${file} (mode 0600): set SF_PASSKEY_FILE=${file}`)
  } finally {
    await resolved.emulator?.close()
  }
  return EXIT.OK
}
