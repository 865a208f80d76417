/** The one place tests read the environment: a clean base for subprocesses, with no SF_* leaking in. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'PLAYWRIGHT_BROWSERS_PATH', 'SF_BROWSER_PATH']
  const env: Record<string, string> = {}
  for (const k of keep) {
    const v = process.env[k]
    if (v !== undefined) env[k] = v
  }
  return { ...env, ...extra }
}

export const isCI = Boolean(process.env.CI)

/** Set only by the secret scans for their nested runs: every secret the emulator sees or a worker registers is logged here. */
export function secretLedger(): string | undefined {
  return process.env.SF_HARNESS_TEST_LEDGER
}

/** Run fn with exactly these variables set or (undefined) unset in process.env, then restore them. */
export function withEnv(vars: Readonly<Record<string, string | undefined>>, fn: () => void): void {
  const saved = Object.keys(vars).map((k) => [k, process.env[k]] as const)
  const set = (k: string, v: string | undefined) => {
    if (v === undefined) Reflect.deleteProperty(process.env, k)
    else process.env[k] = v
  }
  try {
    for (const [k, v] of Object.entries(vars)) set(k, v)
    fn()
  } finally {
    for (const [k, v] of saved) set(k, v)
  }
}
