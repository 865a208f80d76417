/**
 * The last reporter: when every other reporter has written its files, it scrubs everything the run
 * left behind (test-results/, the HTML report, JSON and JUnit files, traces inside them) with the
 * secrets the workers registered, plus the redactor's credential patterns. Playwright declines to
 * scrub traces itself (playwright#19992).
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FullConfig, Reporter } from '@playwright/test/reporter'
import { Redactor } from '../../src/redact.js'
import { scrubTree } from '../../src/report/scrub.js'
import { secretsFile, setSecretsFile } from './env.js'

export default class ScrubReporter implements Reporter {
  readonly #dir = mkdtempSync(join(tmpdir(), 'sf-oauth-secrets-'))
  #roots: string[] = []

  constructor(options: { dirs?: string[] } = {}) {
    setSecretsFile(join(this.#dir, 'secrets.txt'))
    this.#roots = options.dirs ?? []
  }

  onBegin(config: FullConfig): void {
    for (const p of config.projects) this.#roots.push(p.outputDir)
  }

  async onEnd(): Promise<void> {
    const r = new Redactor()
    try {
      for (const line of readFileSync(join(this.#dir, 'secrets.txt'), 'utf8').split('\n')) {
        if (line) r.add(Buffer.from(line, 'base64').toString('utf8'))
      }
    } catch {
      // no flow ran: patterns only
    }
    for (const root of new Set(this.#roots)) await scrubTree(root, r)
    rmSync(this.#dir, { recursive: true, force: true })
  }

  printsToStdio(): boolean {
    return false
  }
}

/** Worker side: append a secret (base64, one per line) for the reporter. */
export function recordSecret(value: string): void {
  const file = secretsFile()
  if (file !== undefined) appendFileSync(file, `${Buffer.from(value).toString('base64')}\n`, { mode: 0o600 })
}
