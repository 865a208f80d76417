/**
 * Headless identity verification ("Verify Your Identity", docs/salesforce-oauth.md §6.2): a code from the user's
 * authenticator secret (TOTP, RFC 6238, computed with otpauth) or from a command that prints the code
 * Salesforce emailed. Without either, the flow stops at once with IDENTITY_VERIFICATION_REQUIRED.
 */
import { execFile } from 'node:child_process'
import { Secret, TOTP } from 'otpauth'
import { BrowserFlowError, ConfigError } from '../errors.js'
import { redactor } from '../redact.js'

/** Where a headless run gets the code of Salesforce's identity verification ("Verify Your Identity", docs/salesforce-oauth.md §6.2). */
export interface VerificationSources {
  readonly totpSecret?: string | undefined
  readonly codeCommand?: string | undefined
}

/** The current 6-digit code of a base32 authenticator secret (30 s, SHA-1: what Salesforce Authenticator and others use). */
export function totpCode(base32Secret: string, now = Date.now()): string {
  const totp = new TOTP({ secret: Secret.fromBase32(base32Secret.replace(/\s/g, '').toUpperCase()), digits: 6, period: 30, algorithm: 'SHA1' })
  return totp.generate({ timestamp: now })
}

/** Run SF_VERIFICATION_CODE_COMMAND (through the shell, bounded in time) and take the code it prints. */
export function commandCode(command: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', command], { timeout: timeoutMs, maxBuffer: 64 * 1024 }, (err, stdout) => {
      const code = /\b(\d{4,8})\b/.exec(stdout)?.[1]
      if (err !== null || code === undefined) {
        reject(new BrowserFlowError('VERIFICATION_CODE_UNAVAILABLE', `SF_VERIFICATION_CODE_COMMAND ${err ? `failed (${err.killed ? `no answer in ${timeoutMs} ms` : `exit ${String(err.code)}`})` : 'printed no code'}: make it print the emailed code (digits) on stdout`))
        return
      }
      redactor.add(code)
      resolve(code)
    })
  })
}

export async function verificationCode(method: 'email' | 'totp', sources: VerificationSources, timeoutMs: number): Promise<string> {
  if (method === 'totp' && sources.totpSecret !== undefined) {
    try {
      const code = totpCode(sources.totpSecret)
      redactor.add(code)
      return code
    } catch {
      throw new ConfigError([{ key: 'SF_TOTP_SECRET', problem: 'is not a valid base32 secret', fix: 'paste the secret shown when the authenticator was registered' }])
    }
  }
  if (method === 'email' && sources.codeCommand !== undefined) return commandCode(sources.codeCommand, timeoutMs)
  const hint = method === 'totp' ? 'set SF_TOTP_SECRET to the authenticator secret' : 'set SF_VERIFICATION_CODE_COMMAND to a command that prints the emailed code'
  throw new BrowserFlowError('IDENTITY_VERIFICATION_REQUIRED', `Salesforce asks to verify the identity (${method === 'totp' ? 'authenticator app' : 'email code'}): ${hint}, or reuse a browser state file (SF_BROWSER_STATE), or add this machine's IP to the trusted IP ranges`)
}
