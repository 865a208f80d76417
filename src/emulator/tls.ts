/**
 * The https mode's certificates: a throwaway CA and a server certificate for localhost, 127.0.0.1 and
 * ::1 signed by it, made at start in a private temporary directory. node:crypto makes keys but cannot
 * issue X.509 certificates, so the `openssl` command does (present on Linux and macOS; no new package).
 * Clients trust the CA through its file: NODE_EXTRA_CA_CERTS=<caFile> for Node (read at start), or
 * `ca` for undici/https agents. The CA's key is deleted once the server certificate is signed: nothing
 * else can ever be signed by that CA.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TlsMaterial {
  /** PEM of the CA certificate (trust this). */
  readonly ca: string
  /** Its file, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string
  readonly cert: string
  readonly key: string
  /** The directory holding the files; removed by `dispose`. */
  readonly dir: string
  dispose(): void
}

export class TlsUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TlsUnavailableError'
  }
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8', timeout: 60_000 })
  if (r.error !== undefined) throw new TlsUnavailableError(`the https mode needs the openssl command to issue its certificates: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`)
  if (r.status !== 0) throw new TlsUnavailableError(`openssl ${args[0] ?? ''} failed (exit ${String(r.status)}): ${r.stderr.split('\n')[0] ?? ''}`)
}

/** A CA and a server certificate (EC P-256, valid 30 days: doctor warns under 14) for the loopback names. */
export function generateTlsMaterial(): TlsMaterial {
  const dir = mkdtempSync(join(tmpdir(), 'sf-oauth-emulator-tls-'))
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
    openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=sf-oauth emulator CA (throwaway)', '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir)
    openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'], dir)
    writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n', { mode: 0o600 })
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '30', '-extfile', 'server.ext'], dir)
    rmSync(join(dir, 'ca.key'))
    const read = (f: string) => readFileSync(join(dir, f), 'utf8')
    return { ca: read('ca.pem'), caFile: join(dir, 'ca.pem'), cert: read('server.pem'), key: read('server.key'), dir, dispose: () => rmSync(dir, { recursive: true, force: true }) }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
}
