/**
 * What every command that ends in a token set does with it (`flow`, `login`, `exchange`): check the output
 * paths before the run, print the steps and checks as they come, then save (`--save`, `--sfdx-url`,
 * `--postman`, through src/store, 0600, atomic) and print the result, in text or as one JSON object.
 * One module, so a token set obtained by hand is printed, saved and exited on exactly like a robot's.
 */
import type { PersonConfig } from '../config.js'
import { EXIT, UsageError } from '../errors.js'
import type { HandTarget } from '../flow/by-hand.js'
import type { FlowEvent, FlowResult } from '../flow/web-server-flow.js'
import type { TokenSet } from '../oauth/types.js'
import { scopeAsksForRefreshToken } from '../oauth/token-request.js'
import { mask } from '../redact.js'
import { assertDistinctOutputs, assertWritableTarget } from '../store/atomic.js'
import { savedTokenSet, writeTokenFile } from '../store/token-store.js'
import { checkInteropTargets, INTEROP_HELP, interopLines, writeInteropFiles, type InteropWritten } from './interop-files.js'
import { errorJson, ms, type Printer } from './output.js'

/** The files a token set can go to. */
export interface TokenOutputs {
  readonly save?: string | undefined
  readonly sfdxUrl?: string | undefined
  readonly postman?: string | undefined
}

/** The options every such command takes (parseArgs form), besides its own. */
export const TOKEN_OUTPUT_OPTIONS = {
  json: { type: 'boolean' },
  reveal: { type: 'boolean' },
  save: { type: 'string' },
  'sfdx-url': { type: 'string' },
  postman: { type: 'string' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** The output files those options name. */
export function tokenOutputs(values: { readonly save?: string | undefined; readonly 'sfdx-url'?: string | undefined; readonly postman?: string | undefined }): TokenOutputs {
  return { save: values.save, sfdxUrl: values['sfdx-url'], postman: values.postman }
}

export const TOKEN_OUTPUT_HELP = `  --save FILE    write the token set as JSON (mode 0600, atomically; never on failure)
${INTEROP_HELP}`

/** Before the configuration is read: each output path can be written. */
export async function checkOutputFiles(o: TokenOutputs): Promise<void> {
  if (o.save !== undefined) await assertWritableTarget(o.save, '--save')
  await checkInteropTargets({ sfdxUrl: o.sfdxUrl, postman: o.postman })
}

/** Once the scope is known: --sfdx-url needs a refresh token, and no two outputs (or `others`) share a file. */
export async function checkOutputsAgainst(o: TokenOutputs, scope: string, others: ReadonlyArray<{ readonly flag: string; readonly path: string | undefined }> = []): Promise<void> {
  if (o.sfdxUrl !== undefined && !scopeAsksForRefreshToken(scope)) {
    throw new UsageError(`--sfdx-url needs a refresh token, and SF_SCOPE "${scope}" asks for none: add refresh_token (or offline_access) to SF_SCOPE and to the Connected App`)
  }
  await assertDistinctOutputs([
    { flag: '--save', path: o.save },
    { flag: '--sfdx-url', path: o.sfdxUrl },
    { flag: '--postman', path: o.postman },
    ...others,
  ])
}

const ICON = { pass: '✓', warn: '!', skip: '-' } as const

/** Prints each step and check as it happens (nothing with --json: the one object at the end has them). */
export function eventPrinter(out: Printer, json: boolean, events: FlowEvent[]): (e: FlowEvent) => void {
  return (e) => {
    events.push(e)
    if (json) return
    if (e.type === 'step') out.line(`  ✓ ${e.step.name.padEnd(26)} ${ms(e.step.durationMs).padStart(8)}${e.step.detail ? `  ${e.step.detail}` : ''}`)
    if (e.type === 'check') out.line(`    ${ICON[e.check.status]} check ${e.check.name.padEnd(14)} ${e.check.detail}`)
  }
}

export const stepsOf = (events: readonly FlowEvent[]) => events.flatMap((e) => (e.type === 'step' ? [e.step] : []))
export const checksOf = (events: readonly FlowEvent[]) => events.flatMap((e) => (e.type === 'check' ? [e.check] : []))

/** A failure with --json: one `{ok: false}` object with what was done so far. */
export function printFailure(out: Printer, json: boolean, err: unknown, label: string | null, events: readonly FlowEvent[], started: number): void {
  if (json) out.json({ ok: false, target: label, steps: stepsOf(events), checks: checksOf(events), error: errorJson(err), durationMs: Math.round(performance.now() - started) })
}

function tokensView(tokens: TokenSet, reveal: boolean) {
  const m = (v: string | undefined) => (v === undefined ? undefined : reveal ? v : mask(v))
  return {
    accessToken: m(tokens.accessToken),
    refreshToken: m(tokens.refreshToken),
    idToken: m(tokens.idToken),
    instanceUrl: tokens.instanceUrl,
    id: tokens.id,
    orgId: tokens.orgId,
    userId: tokens.userId,
    scope: tokens.scope,
    issuedAt: tokens.issuedAt,
    tokenType: tokens.tokenType,
    signature: tokens.signature,
  }
}

export interface Finish {
  readonly json: boolean
  readonly reveal: boolean
  readonly label: string
  /** Who got the tokens through which app: saved with them (never the secret), and in the sfdx/Postman files. */
  readonly target: { readonly loginUrl: string; readonly clientId: string; readonly clientSecret: string | undefined; readonly username: string }
  readonly result: FlowResult
  readonly outputs: TokenOutputs
  /** performance.now() when the command started. */
  readonly started: number
  /** Extra fields of the JSON object (`login`: the authorize URL's origin, ...). */
  readonly extra?: Readonly<Record<string, unknown>>
}

/** Save the token set where asked, print it, and return the exit code (0). */
export async function finishFlow(out: Printer, f: Finish): Promise<number> {
  const { outputs, result, target } = f
  if (outputs.save !== undefined) await writeTokenFile(outputs.save, savedTokenSet(target, result.tokens))
  const interop: InteropWritten = await writeInteropFiles({ sfdxUrl: outputs.sfdxUrl, postman: outputs.postman }, { ...target, ...result.tokens })
  const view = tokensView(result.tokens, f.reveal)
  if (f.json) {
    out.json({ ok: true, target: f.label, ...f.extra, steps: result.steps, checks: result.checks, tokens: view, saved: outputs.save ?? null, interop, durationMs: Math.round(performance.now() - f.started) })
  } else {
    out.line(`  refresh token  ${view.refreshToken ?? '(none)'}`)
    out.line(`  access token   ${view.accessToken ?? ''}`)
    out.line(`  instance_url   ${view.instanceUrl}`)
    if (outputs.save !== undefined) out.line(`  saved to       ${outputs.save} (mode 0600)`)
    for (const l of interopLines(interop)) out.line(l)
    const warns = result.checks.filter((c) => c.status === 'warn').length
    out.line(`ok: ${result.checks.length} checks (${warns} warnings) in ${ms(performance.now() - f.started)}`)
  }
  return EXIT.OK
}

/** The app and login host a person logs in through (`login`, `authorize-url`, `exchange`): SF_LOGIN_URL is required. */
export function handTarget(config: PersonConfig, command: string): HandTarget {
  if (config.kind !== 'org') {
    throw new UsageError(`${command} needs SF_LOGIN_URL (and SF_CLIENT_ID): the login host of your org, or the URL sf-oauth emulator prints to try it out`)
  }
  return { loginUrl: config.loginUrl, clientId: config.clientId, clientSecret: config.clientSecret, redirectUri: config.redirectUri, scope: config.scope, pkce: config.pkce }
}
