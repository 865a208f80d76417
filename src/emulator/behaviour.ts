/**
 * Switchable behaviour of the emulator. Defaults are faithful to Salesforce; tests switch one thing at a
 * time through `configure()` (in process) or `POST /__emulator/configure` (another process).
 */
export interface Behaviour {
  /** 'two-step': the identifier-first login page observed in 2026 (reference §6.1). */
  readonly loginMode: 'one-step' | 'two-step'
  /** Milliseconds the token endpoint waits before answering (a response slower than the client's limit). */
  readonly tokenDelayMs: number
}

export const DEFAULT_BEHAVIOUR: Behaviour = {
  loginMode: 'one-step',
  tokenDelayMs: 0,
}

/** Validate a partial behaviour from an untrusted JSON body. */
export function parseBehaviour(input: unknown): Partial<Behaviour> {
  if (typeof input !== 'object' || input === null) throw new Error('behaviour must be a JSON object')
  const out: { -readonly [K in keyof Behaviour]?: Behaviour[K] } = {}
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    if (k === 'loginMode' && (v === 'one-step' || v === 'two-step')) out.loginMode = v
    else if (k === 'tokenDelayMs' && typeof v === 'number' && v >= 0 && v <= 600_000) out.tokenDelayMs = v
    else throw new Error(`unknown behaviour or bad value: ${k}`)
  }
  return out
}
