/**
 * Switchable behaviour of the emulator. Defaults are faithful to Salesforce; tests switch one thing at a
 * time through `configure()` (in process) or `POST /__emulator/configure` (another process).
 */

/** Faults on demand (issue: faults), applied to `faultPaths` for the next `faultTimes` requests. */
export const FAULTS = ['none', 'http500', 'http503', 'reset', 'malformed-json', 'html', 'rate-limit', 'slow', 'empty', 'wrong-types', 'missing-fields', 'huge', 'teapot', 'redirect-loop'] as const
export type Fault = (typeof FAULTS)[number]

export interface Behaviour {
  /** 'two-step': the identifier-first login page observed in 2026 (reference §6.1). */
  readonly loginMode: 'one-step' | 'two-step'
  /** How long the 'slow' fault waits before the real answer (a response slower than the client's limit). */
  readonly tokenDelayMs: number
  readonly fault: Fault
  /** How many requests get the fault (then it clears); 0 means every request. */
  readonly faultTimes: number
  readonly faultPaths: readonly string[]
  /** Refresh Token Rotation for every app (the app's own setting also turns it on). */
  readonly rotation: boolean
}

export const DEFAULT_BEHAVIOUR: Behaviour = {
  loginMode: 'one-step',
  tokenDelayMs: 0,
  fault: 'none',
  faultTimes: 0,
  faultPaths: ['/services/oauth2/token'],
  rotation: false,
}

/** Validate a partial behaviour from an untrusted JSON body. */
export function parseBehaviour(input: unknown): Partial<Behaviour> {
  if (typeof input !== 'object' || input === null) throw new Error('behaviour must be a JSON object')
  const out: { -readonly [K in keyof Behaviour]?: Behaviour[K] } = {}
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (k === 'loginMode' && (v === 'one-step' || v === 'two-step')) out.loginMode = v
    else if (k === 'tokenDelayMs' && typeof v === 'number' && v >= 0 && v <= 600_000) out.tokenDelayMs = v
    else if (k === 'fault' && typeof v === 'string' && (FAULTS as readonly string[]).includes(v)) out.fault = v as Fault
    else if (k === 'faultTimes' && typeof v === 'number' && Number.isInteger(v) && v >= 0) out.faultTimes = v
    else if (k === 'rotation' && typeof v === 'boolean') out.rotation = v
    else if (k === 'faultPaths' && Array.isArray(v) && v.every((p) => typeof p === 'string' && p.startsWith('/'))) out.faultPaths = v as string[]
    else throw new Error(`unknown behaviour or bad value: ${k}`)
  }
  return out
}
