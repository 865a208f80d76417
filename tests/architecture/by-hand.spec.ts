/**
 * `sf-oauth login`, `authorize-url` and `exchange` work from the installed package on a laptop with no
 * Chromium: nothing they load, statically or through import(), reaches Playwright. Proved on the import
 * graph of the sources (type-only imports are erased by the compiler, so they do not count), and the
 * walker is shown to find Playwright where it is (`flow`).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from '@playwright/test'
import type * as TS from 'typescript'
import { test } from '../support/scrub.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const BROWSER_PACKAGES = /^(playwright|playwright-core|@playwright\/.*|chromium-bidi)$/

let typescript: typeof TS | undefined
/** TypeScript takes half a second to load: loaded by the tests that walk, not each time Playwright lists the suite. */
function loadTypescript(): typeof TS {
  typescript ??= createRequire(import.meta.url)('typescript') as typeof TS
  return typescript
}

// Both tests walk much the same graph: in order in one worker, each file is parsed once.
test.describe.configure({ mode: 'default' })
const parsed = new Map<string, string[]>()

/** The modules a file loads at run time: value imports, re-exports and import() of a literal. */
function runtimeImports(file: string): string[] {
  const known = parsed.get(file)
  if (known !== undefined) return known
  const ts = loadTypescript()
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: TS.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const typeOnly = clause !== undefined && (clause.phaseModifier === ts.SyntaxKind.TypeKeyword || (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)))
      if (!typeOnly) found.push(node.moduleSpecifier.text)
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      found.push(node.moduleSpecifier.text)
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments
      if (arg !== undefined && ts.isStringLiteral(arg)) found.push(arg.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  parsed.set(file, found)
  return found
}

/** Every harness file and package reachable from `entries`, with one path to each (for the message). */
function reach(entries: string[]): Map<string, string[]> {
  const seen = new Map<string, string[]>()
  const queue = entries.map((e) => ({ file: resolve(root, e), path: [e] }))
  while (queue.length > 0) {
    const next = queue.shift()
    if (next === undefined) break
    if (seen.has(next.file)) continue
    seen.set(next.file, next.path)
    if (!next.file.endsWith('.ts')) continue
    for (const spec of runtimeImports(next.file)) {
      const target = spec.startsWith('.') ? resolve(dirname(next.file), spec.replace(/\.js$/, '.ts')) : spec.replace(/^node:/, 'node:')
      queue.push({ file: target, path: [...next.path, spec.startsWith('.') ? relative(root, target) : spec] })
    }
  }
  return seen
}

function browserPackagesReached(entries: string[]): string[] {
  return [...reach(entries)].filter(([m]) => BROWSER_PACKAGES.test(m)).map(([, path]) => path.join(' → '))
}

test('login, authorize-url and exchange load no Playwright, statically or dynamically', () => {
  for (const command of ['login', 'authorize-url', 'exchange']) {
    expect(browserPackagesReached([join('src/cli/commands', `${command}.ts`)]), command).toEqual([])
  }
  // The entry (bin → dist/cli/main.js) loads commands on demand: its static imports are browser-free too.
  const main = runtimeImports(resolve(root, 'src/cli/main.ts')).filter((s) => !s.startsWith('./commands/'))
  expect(browserPackagesReached(main.map((s) => join('src/cli', s.replace(/\.js$/, '.ts'))))).toEqual([])
})

test('the walker finds Playwright where it is: flow loads it (through its dynamic import), so an empty list above means something', () => {
  const found = browserPackagesReached(['src/cli/commands/flow.ts'])
  expect(found.length).toBeGreaterThan(0)
  expect(found.join('\n')).toContain('src/flow/web-server-flow.ts')
})
