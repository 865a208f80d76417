/**
 * The configuration as a target: an org as configured, or (SF_LOGIN_URL unset) the embedded emulator,
 * started here, with its seeded app and user unless SF_* variables override them.
 */
import type { HarnessConfig } from '../config.js'
import type { RunningEmulator } from '../emulator/index.js'
import { emulatorLogin, toFlowTarget, type FlowTarget } from './flow-target.js'

/** A configuration as a target, with the emulator started for it (if any). */
export interface ResolvedTarget {
  readonly target: FlowTarget
  /** For the first line of a command's output: `org <url>` or `embedded emulator <url>`. */
  readonly label: string
  /** Started for this target: the caller closes it. */
  readonly emulator: RunningEmulator | undefined
}

/**
 * The configuration as a flow target: an org as configured, or (no SF_LOGIN_URL) the embedded emulator,
 * started here on a free loopback port, which the caller closes.
 *
 * @throws a Node `listen` error when no loopback port can be bound (the emulator case only).
 */
export async function resolveTarget(config: HarnessConfig): Promise<ResolvedTarget> {
  if (config.kind === 'org') return { target: toFlowTarget(config, config), label: `org ${config.loginUrl}`, emulator: undefined }
  // Loaded only when needed: an org run never starts (or imports) the emulator.
  const { startEmulator } = await import('../emulator/index.js')
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0 })
  return { target: toFlowTarget(emulatorLogin(emulator.url, emulator.app.seed, config), config), label: `embedded emulator ${emulator.url}`, emulator }
}
