/**
 * The layer rules of eslint.layers.js bite: each planted violation is an error, its legal neighbour is not,
 * and eslint.config.js applies exactly these rules to the real tree (so `npm run lint` enforces them).
 */
import { fileURLToPath } from 'node:url'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import type { ESLint, Linter } from 'eslint'
import { commandsImportNoCommand, emulatorIsIndependent, layerRules, oauthIsPure, onlyHttpFetches, onlyTheSessionOpensBrowsers } from '../../eslint.layers.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
// In order in one worker: ESLint and its TypeScript parser load once per run, not once per worker.
test.describe.configure({ mode: 'default' })

let layerLinter: Promise<ESLint> | undefined
/**
 * The layer rules alone, with the TypeScript parser and no type information (the planted files do not
 * exist). ESLint and typescript-eslint take about a second to load: loaded by the tests that lint, not
 * each time Playwright lists the suite.
 */
function linter(): Promise<ESLint> {
  layerLinter ??= Promise.all([import('eslint'), import('typescript-eslint')]).then(([{ ESLint }, { default: tseslint }]) => new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, ...layerRules] }))
  return layerLinter
}

/** The rules a snippet at `path` breaks (rule ids, sorted). */
async function broken(path: string, code: string): Promise<string[]> {
  const [result] = await (await linter()).lintText(code, { filePath: path })
  const fatal = result?.messages.find((m) => m.fatal === true)
  if (fatal !== undefined) throw new Error(`${path}: ${fatal.message}`)
  return (result?.messages ?? []).map((m) => m.ruleId ?? '').sort()
}

test('src/oauth imports no I/O: node:fs, sockets, undici, playwright and the harness I/O layers are refused, statically or dynamically', async () => {
  const at = 'src/oauth/planted.ts'
  expect(await broken(at, "import { readFile } from 'node:fs/promises'\nexport const r = readFile\n")).toEqual(['no-restricted-imports'])
  expect(await broken(at, "import { connect } from 'net'\nexport const c = connect\n")).toEqual(['no-restricted-imports'])
  expect(await broken(at, "import { request } from 'undici'\nexport const q = request\n")).toEqual(['no-restricted-imports'])
  expect(await broken(at, "import { chromium } from 'playwright'\nexport const b = chromium\n")).toEqual(['no-restricted-imports'])
  expect(await broken(at, "import { createHttp } from '../http/client.js'\nexport const h = createHttp\n")).toEqual(['no-restricted-imports'])
  expect(await broken(at, "import { refresh } from '../client/operations.js'\nexport const r = refresh\n")).toEqual(['no-restricted-imports'])
  expect(await broken(at, "export const h = () => import('../http/client.js')\n")).toEqual(['no-restricted-syntax'])
  expect(await broken(at, "export const f = () => import('node:fs')\n")).toEqual(['no-restricted-syntax'])
  // Pure neighbours stay legal: the errors, the redactor (masking), node:crypto, siblings.
  expect(await broken(at, "import { createHash } from 'node:crypto'\nimport { HarnessError } from '../errors.js'\nimport { mask } from '../redact.js'\nimport { endpointsFor } from './endpoints.js'\nexport const all = [createHash, HarnessError, mask, endpointsFor]\n")).toEqual([])
})

test('no command imports another command, statically or dynamically (what check, doctor and record did with flow.ts)', async () => {
  const at = 'src/cli/commands/check.ts'
  expect(await broken(at, "import { savedTokenSet } from './flow.js'\nexport const s = savedTokenSet\n")).toEqual(['no-restricted-imports'])
  expect(await broken('src/cli/commands/record.ts', "export const f = () => import('./flow.js')\n")).toEqual(['no-restricted-syntax'])
  expect(await broken('src/cli/commands/doctor.ts', "import { resolveTarget } from '../commands/flow.js'\nexport const r = resolveTarget\n")).toEqual(['no-restricted-imports'])
  expect(await broken(at, "import { parse } from '../args.js'\nimport { resolveTarget } from '../../targets/resolve.js'\nexport const all = [parse, resolveTarget]\n")).toEqual([])
  // src/cli/main.ts dispatches to the commands: it is not a command.
  expect(await broken('src/cli/main.ts', "export const f = () => import('./commands/flow.js')\n")).toEqual([])
})

test('only src/http calls fetch', async () => {
  const call = "export const get = (u: string) => fetch(u)\n"
  expect(await broken('src/flow/planted.ts', call)).toEqual(['no-restricted-globals'])
  expect(await broken('src/oauth/planted.ts', call)).toEqual(['no-restricted-globals'])
  expect(await broken('src/cli/commands/planted.ts', "export const f = fetch\n")).toEqual(['no-restricted-globals'])
  expect(await broken('src/http/client.ts', call)).toEqual([])
  // A local named fetch is not the global.
  expect(await broken('src/flow/planted.ts', "const fetch = (u: string) => u\nexport const g = fetch('x')\n")).toEqual([])
})

test('src/emulator imports nothing of the harness, at any depth, statically or dynamically', async () => {
  expect(await broken('src/emulator/app.ts', "import { redactor } from '../redact.js'\nexport const r = redactor\n")).toEqual(['no-restricted-imports'])
  expect(await broken('src/emulator/routes/token.ts', "import { HarnessError } from '../../errors.js'\nexport const e = HarnessError\n")).toEqual(['no-restricted-imports'])
  expect(await broken('src/emulator/routes/deep/x.ts', "export const o = () => import('../../../oauth/pkce.js')\n")).toEqual(['no-restricted-syntax'])
  expect(await broken('src/emulator/routes/token.ts', "import { json } from '../http-util.js'\nimport { createHash } from 'node:crypto'\nexport const all = [json, createHash]\n")).toEqual([])
  expect(await broken('src/emulator/app.ts', "import { handle } from './routes/token.js'\nexport const h = handle\n")).toEqual([])
})

test('only the browser session launches a browser or opens a context (what the flow, the pool and check --flow each did)', async () => {
  const launch = "import { chromium } from 'playwright'\nexport const b = () => chromium.launch()\n"
  const context = "import type { Browser } from 'playwright'\nexport const c = (b: Browser) => b.newContext()\n"
  expect(await broken('src/flow/pool.ts', context)).toEqual(['no-restricted-properties'])
  expect(await broken('src/cli/commands/check.ts', launch)).toEqual(['no-restricted-properties'])
  expect(await broken('src/browser/launch.ts', launch)).toEqual(['no-restricted-properties'])
  expect(await broken('src/flow/planted.ts', "import { chromium } from 'playwright'\nexport const p = () => chromium.launchPersistentContext('d')\n")).toEqual(['no-restricted-properties'])
  // The session itself may; elsewhere, opening a session, a page of one, or finding the executable is legal.
  expect(await broken('src/browser/session.ts', "import { chromium, type Browser } from 'playwright'\nexport const b = () => chromium.launch()\nexport const c = (x: Browser) => x.newContext()\n")).toEqual([])
  expect(await broken('src/flow/pool.ts', "import { openBrowserSession } from '../browser/session.js'\nimport type { Browser } from 'playwright'\nexport const s = (browser: Browser) => openBrowserSession({ browser }).then((x) => x.page.context().newPage())\n")).toEqual([])
  expect(await broken('src/browser/launch.ts', "import { chromium } from 'playwright'\nexport const p = () => chromium.executablePath()\n")).toEqual([])
  // Repeating the global property bans (ESLint replaces a rule's options): process.env is still refused here.
  expect(await broken('src/flow/planted.ts', "export const e = process.env.SF_X\n")).toEqual(['no-restricted-properties'])
})

test('eslint.config.js applies these very rules to the tree (and globalThis.fetch is refused outside src/http too)', async () => {
  const { ESLint } = await import('eslint')
  const real = new ESLint({ cwd: root })
  const rulesFor = async (path: string) => ((await real.calculateConfigForFile(path)) as { rules: Record<string, unknown> }).rules
  const expectRules = async (path: string, layer: { rules?: Partial<Linter.RulesRecord> | undefined }) => {
    const rules = await rulesFor(path)
    // The computed config writes severity "error" as 2.
    for (const [id, setting] of Object.entries(layer.rules ?? {})) expect(rules[id], `${path} ${id}`).toEqual(Array.isArray(setting) ? [2, ...setting.slice(1)] : setting)
  }
  await expectRules('src/oauth/hosts.ts', oauthIsPure)
  await expectRules('src/cli/commands/check.ts', commandsImportNoCommand)
  await expectRules('src/emulator/app.ts', emulatorIsIndependent[0] ?? {})
  await expectRules('src/emulator/routes/token.ts', emulatorIsIndependent[1] ?? {})
  await expectRules('src/flow/refresh.ts', onlyHttpFetches)
  await expectRules('src/flow/pool.ts', onlyTheSessionOpensBrowsers)
  await expectRules('src/cli/commands/check.ts', onlyTheSessionOpensBrowsers)
  const sessionRules = JSON.stringify((await rulesFor('src/browser/session.ts'))['no-restricted-properties'])
  expect(sessionRules).not.toContain('newContext')
  expect(sessionRules).toContain('"object":"process","property":"env"')
  expect((await rulesFor('src/http/client.ts'))['no-restricted-globals']).toBeUndefined()
  expect(JSON.stringify((await rulesFor('src/flow/refresh.ts'))['no-restricted-properties'])).toContain('"object":"globalThis","property":"fetch"')
})
