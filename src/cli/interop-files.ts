/**
 * `--sfdx-url FILE` and `--postman FILE` of `flow` and `refresh`: hand a run's tokens to the Salesforce
 * CLI or to Postman. The only places secrets are written unmasked; each file is mode 0600, atomic.
 */
import { postmanEnvironment } from '../interop/postman.js'
import { sfdxAuthUrl } from '../interop/sfdx-url.js'
import { assertWritableTarget, writeFileAtomic } from '../store/atomic.js'

export interface InteropOptions {
  readonly sfdxUrl?: string | undefined
  readonly postman?: string | undefined
}

export interface InteropTokens {
  readonly loginUrl: string
  readonly clientId: string
  readonly clientSecret: string | undefined
  readonly accessToken: string
  readonly refreshToken: string | null | undefined
  readonly instanceUrl: string
  readonly username: string
}

export interface InteropWritten {
  readonly sfdxUrl?: string
  readonly postman?: string
  readonly warnings: readonly string[]
}

export const INTEROP_HELP = `  --sfdx-url FILE  write force://<clientId>:<clientSecret>:<refreshToken>@<instance> (mode 0600)
                   for: sf org login sfdx-url --sfdx-url-file FILE
  --postman FILE   write a Postman environment (access_token, instance_url, refresh_token,
                   client_id; tokens of type secret; mode 0600) for Environments > Import`

/** Checked before the run, so a flow is not run for a file that cannot be written. */
export async function checkInteropTargets(o: InteropOptions): Promise<void> {
  if (o.sfdxUrl !== undefined) await assertWritableTarget(o.sfdxUrl, '--sfdx-url')
  if (o.postman !== undefined) await assertWritableTarget(o.postman, '--postman')
}

export async function writeInteropFiles(o: InteropOptions, t: InteropTokens): Promise<InteropWritten> {
  const warnings: string[] = []
  let sfdxUrl: string | undefined
  let postman: string | undefined
  if (o.sfdxUrl !== undefined) {
    const u = sfdxAuthUrl(t)
    if (u.warning !== undefined) warnings.push(u.warning)
    await writeFileAtomic(o.sfdxUrl, `${u.url}\n`, 0o600)
    sfdxUrl = o.sfdxUrl
  }
  if (o.postman !== undefined) {
    const env = postmanEnvironment({ name: `sf-oauth ${t.username} @ ${new URL(t.instanceUrl).host}`, accessToken: t.accessToken, instanceUrl: t.instanceUrl, refreshToken: t.refreshToken, clientId: t.clientId, loginUrl: t.loginUrl })
    await writeFileAtomic(o.postman, `${JSON.stringify(env, null, 2)}\n`, 0o600)
    postman = o.postman
  }
  return { ...(sfdxUrl === undefined ? {} : { sfdxUrl }), ...(postman === undefined ? {} : { postman }), warnings }
}

/** The lines `flow` and `refresh` print about the files. */
export function interopLines(w: InteropWritten): string[] {
  const lines: string[] = []
  if (w.sfdxUrl !== undefined) lines.push(`  sfdx auth URL  ${w.sfdxUrl} (mode 0600): sf org login sfdx-url --sfdx-url-file ${w.sfdxUrl}`)
  if (w.postman !== undefined) lines.push(`  postman env    ${w.postman} (mode 0600): Postman > Environments > Import`)
  for (const warning of w.warnings) lines.push(`  ! ${warning}`)
  return lines
}
