/**
 * sf-oauth-harness as a library: the checked Salesforce OAuth 2.0 web server flow, the token operations,
 * the embedded emulator, the configuration and the typed errors. Playwright Test fixtures and matchers
 * are in `sf-oauth-harness/test`.
 *
 * Every secret these functions see (passwords, client secrets, codes, verifiers, tokens) is registered
 * with the process's {@link redactor}; print through `redactor.text()` and nothing leaks.
 *
 * @packageDocumentation
 */

// Configuration: the one reader of the environment (and .env in the current directory).
export { loadConfig, readEnv, userCacheDir, VARIABLES, DEFAULT_REDIRECT_URI, DEFAULT_SCOPE, DEFAULT_TIMEOUT_MS } from './config.js'
export type { HarnessConfig, OrgConfig, EmbeddedEmulatorConfig, ConfigSettings, Env } from './config.js'

// The flow.
export { runWebServerFlow } from './flow/web-server-flow.js'
export type { FlowOptions, FlowResult, FlowEvent, StepRecord } from './flow/web-server-flow.js'
export type { StepRunner } from './steps.js'
export { toFlowTarget, emulatorLogin, DEFAULT_FLOW_SETTINGS } from './targets/flow-target.js'
export type { FlowTarget, TargetLogin, FlowSettings } from './targets/flow-target.js'
export { resolveTarget } from './targets/resolve.js'
export type { ResolvedTarget } from './targets/resolve.js'
export { loadTargets } from './targets/load.js'
export type { Target, TargetsFile } from './targets/load.js'
export type { VerificationSources } from './browser/verification.js'
export { launchOptions, findBrowser } from './browser/launch.js'
export { launchBrowser } from './browser/session.js'
export type { BrowserChoice } from './browser/launch.js'

// Many orgs at once: what `sf-oauth check --targets` runs.
export { checkTargets } from './flow/check-targets.js'
export type { CheckTargetsOptions, CheckTargetsResult, TargetResult, CheckWarning, InstanceWarning, RevokeResult } from './flow/check-targets.js'
export type { ApprovalWarning } from './targets/approvals.js'

// Token operations: one call each (own HTTP client), and the operations of src/client with a context.
export { refreshSaved, revoke, createOperationContext } from './api/session.js'
export type { RefreshSavedOptions, RevokeOptions, RefreshOutcome, OwnedOperationContext } from './api/session.js'
export { exchangeCode, refresh, userinfo, introspect, identity, probeAuthorize } from './client/operations.js'
export type { OperationContext, OAuthClient, ExchangeOptions, ExchangeResult, RefreshOptions, RefreshResult, AnswerHook, Identity, Introspection, UserInfo, ProcessedTokens } from './client/operations.js'
export { createHttp, EXCHANGE_CHANNEL } from './http/client.js'
export type { Http, HttpOptions, HttpRequest, Exchange, ProxySettings } from './http/client.js'
export { processTokenResponse } from './oauth/token-response.js'
export { computeSignature, verifySignature } from './oauth/signature.js'
export type { TokenSet, Check, CheckStatus, RawResponse, SecretSink } from './oauth/types.js'
export { readTokenFile, writeTokenFile, savedTokenSet } from './store/token-store.js'
export type { StoredTokenSet } from './store/token-store.js'

// The emulator.
export { startEmulator } from './api/emulator.js'
export type { SalesforceEmulator, StartEmulatorOptions, EmulatorBehaviour } from './api/emulator.js'

// Errors: classes, codes, exit codes.
export { HarnessError, ConfigError, UsageError, AuthorizationError, TokenEndpointError, ResponseValidationError, BrowserFlowError, InfraError, ERR, EXIT, exitCodeOf } from './errors.js'
export type { ErrorCode, ExitCode, ConfigProblem, ErrorOptions } from './errors.js'
export { TokenFileError } from './store/token-file.js'
export { ERRORS, ERROR_CODES, isErrorCode } from './error-registry.js'

// Secrets and output.
export { redactor, mask, Redactor } from './redact.js'
export { sanitiseLine, sanitiseBlock } from './sanitise.js'
