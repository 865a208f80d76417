/**
 * Every failure the harness reports is a HarnessError with a stable `code` (tests assert on it), an exit
 * code for the CLI, a one-line message naming the field and the fix, and masked evidence as `cause`.
 */

/** CLI exit codes: 0 success; 1 a check failed or Salesforce refused; 2 usage/config; 3 infrastructure. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, INFRA: 3 } as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export interface ErrorOptions {
  /** Masked evidence (never a raw secret): a status, a redacted body, a page URL. */
  cause?: unknown
  exitCode?: ExitCode
}

export class HarnessError extends Error {
  readonly code: string
  readonly exitCode: ExitCode

  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.exitCode = options.exitCode ?? EXIT.FAILED
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
    super('CONFIG_INVALID', head + more, { exitCode: EXIT.USAGE, cause: problems })
    this.problems = problems
  }
}

/** Bad command line. */
export class UsageError extends HarnessError {
  constructor(message: string) {
    super('USAGE_INVALID', message, { exitCode: EXIT.USAGE })
  }
}

/** The authorization step ended in an error: redirected `?error=`, a plain-text answer, or Salesforce's error page. */
export class AuthorizationError extends HarnessError {
  readonly error: string
  readonly errorDescription: string | undefined

  constructor(code: string, message: string, error: string, errorDescription: string | undefined, cause?: unknown) {
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

  constructor(code: string, message: string, status: number, error: string, errorDescription: string | undefined, cause?: unknown) {
    super(code, message, { cause })
    this.status = status
    this.error = error
    this.errorDescription = errorDescription
  }
}

/** A response that is not what Salesforce sends: wrong status, not JSON, a missing or mistyped field, a bad signature. */
export class ResponseValidationError extends HarnessError {}

/** Browser-side failures: login refused, identity verification, a callback that never came. */
export class BrowserFlowError extends HarnessError {}

/** Infrastructure: no browser, network errors, timeouts, a taken port. Exit code 3. */
export class InfraError extends HarnessError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { cause, exitCode: EXIT.INFRA })
  }
}
