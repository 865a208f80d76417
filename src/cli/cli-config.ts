/**
 * What a command knows of the world it runs in, handed to `main(argv, io, config)`: the environment,
 * and (tests) a browser to share and a signal to stop. Injected, so a test runs a command in its own
 * worker with its own variables, never touching process.env; the real process builds it once here.
 */
import type { Browser } from 'playwright'
import { readEnv, type Env } from '../config.js'

export interface CliConfig {
  /** The variables (`.env` merged in, the real environment winning): the only source of configuration. */
  readonly env: Env
  /** Open browser contexts here instead of launching a browser per run (tests hand in the worker's). */
  readonly browser?: Browser | undefined
  /** Stops a serving command (`emulator`), as SIGINT and SIGTERM do. */
  readonly signal?: AbortSignal | undefined
}

/** The real process: `.env` of the working directory and process.env (read in src/config.ts). */
export function processConfig(): CliConfig {
  return { env: readEnv() }
}
