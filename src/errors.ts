/**
 * Every failure the harness reports is a HarnessError with a stable `code` (tests assert on it), an exit
 * code for the CLI, a one-line message naming the field and the fix, and masked evidence as `cause`.
 * Codes and their exit codes are listed in src/error-registry.ts; a code not listed there does not compile.
 */
import { type CodeOf, type ErrorCode, type ErrorEntry, ERRORS, type ExitCode } from './error-registry.js'

export { ERR, EXIT, type ErrorCode, type ExitCode, exitCodeOf } from './error-registry.js'

/** Options of an error: `cause` holds the masked evidence (never a secret in clear). */
export interface ErrorOptions {
  /** Masked evidence (never a raw secret): a status, a redacted body, a page URL. */
  cause?: unknown
}

/**
 * Every error the harness throws: a stable `code` from the registry (src/error-registry.ts, docs/errors.md),
 * its exit code, a one-line message naming the field and the fix, and masked evidence as `cause`.
 * Tests and callers branch on `code`, never on the message.
 */
export class HarnessError extends Error {
  readonly code: ErrorCode
  /** The registry's exit code for `code`: throw sites and classes do not choose it. */
  readonly exitCode: ExitCode

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    // A code forced past the type (`as`, plain JS) is a bug: exit as INTERNAL_ERROR rather than throw here.
    this.exitCode = (ERRORS[code] as ErrorEntry | undefined)?.exit ?? ERRORS.INTERNAL_ERROR.exit
  }
}

/** One entry of a config report: the variable, what is wrong, and how to fix it. */
export interface ConfigProblem {
  key: string
  problem: string
  fix: string
}

/** Bad configuration, reported all at once. */
export class ConfigError extends HarnessError {
  readonly problems: readonly ConfigProblem[]

  constructor(problems: readonly ConfigProblem[]) {
    const first = problems[0]
    const head = first ? `${first.key} ${first.problem}: ${first.fix}` : 'invalid configuration'
    const more = problems.length > 1 ? ` (+${problems.length - 1} more: ${problems.slice(1).map((p) => p.key).join(', ')})` : ''
    super('CONFIG_INVALID', head + more, { cause: problems })
    this.problems = problems
  }
}

/** Bad command line. */
export class UsageError extends HarnessError {
  constructor(message: string) {
    super('USAGE_INVALID', message)
  }
}

/** The authorization step ended in an error: redirected `?error=`, a plain-text answer, or Salesforce's error page. */
export class AuthorizationError extends HarnessError {
  readonly error: string
  readonly errorDescription: string | undefined

  constructor(code: CodeOf<'AuthorizationError'>, message: string, error: string, errorDescription: string | undefined, cause?: unknown) {
    super(code, message, { cause })
    this.error = error
    this.errorDescription = errorDescription
  }
}

/** The token endpoint (or another OAuth endpoint) answered with an OAuth error body. */
export class TokenEndpointError extends HarnessError {
  readonly status: number
  readonly error: string
  readonly errorDescription: string | undefined

  constructor(code: CodeOf<'TokenEndpointError'>, message: string, status: number, error: string, errorDescription: string | undefined, cause?: unknown) {
    super(code, message, { cause })
    this.status = status
    this.error = error
    this.errorDescription = errorDescription
  }
}

/** A response that is not what Salesforce sends: wrong status, not JSON, a missing or mistyped field, a bad signature. */
export class ResponseValidationError extends HarnessError {
  constructor(code: CodeOf<'ResponseValidationError'>, message: string, options: ErrorOptions = {}) {
    super(code, message, options)
  }
}

/** Browser-side failures: login refused, identity verification, a callback that never came. */
export class BrowserFlowError extends HarnessError {
  constructor(code: CodeOf<'BrowserFlowError'>, message: string, options: ErrorOptions = {}) {
    super(code, message, options)
  }
}

/** Infrastructure: no browser, network errors, timeouts, a taken port. Exit code 3. */
export class InfraError extends HarnessError {
  constructor(code: CodeOf<'InfraError'>, message: string, cause?: unknown) {
    super(code, message, { cause })
  }
}
