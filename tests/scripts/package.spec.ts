/**
 * The published shape: what `npm pack` puts in the tarball (everything the installed package needs,
 * nothing else) and the package.json fields a consumer's tools read. `npm pack --dry-run` lists the
 * files without building (--ignore-scripts) or writing anything; run `npm run build` first.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'

interface Pkg {
  version: string
  engines: { node: string }
  exports: Record<string, string | { types: string; import: string }>
  types: string
  bin: Record<string, string>
  sideEffects: boolean
  peerDependencies: Record<string, string>
  peerDependenciesMeta: Record<string, { optional: boolean }>
  dependencies: Record<string, string>
}
// One `npm pack` (about 2.5 s) for the whole file: its tests run in order in one worker.
test.describe.configure({ mode: 'default' })

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Pkg

/** The caret ranges of an `a || b` range, as [major, minor, patch] (the only form engines uses here). */
function caretRanges(range: string): number[][] {
  return range.split('||').map((r) => {
    const m = /^\s*\^(\d+)\.(\d+)\.(\d+)\s*$/.exec(r)
    if (m === null) throw new Error(`engines.node: "${r}" is not a caret range`)
    return [Number(m[1]), Number(m[2]), Number(m[3])]
  })
}
const satisfies = (version: string, range: string) => {
  const [a = 0, b = 0, c = 0] = version.split('.').map(Number)
  return caretRanges(range).some(([x = 0, y = 0, z = 0]) => a === x && (b > y || (b === y && c >= z)))
}

let packed: Set<string> | undefined
function packedFiles(): Set<string> {
  if (packed === undefined) {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    const [entry] = JSON.parse(out) as { files: { path: string }[] }[]
    packed = new Set((entry?.files ?? []).map((f) => f.path))
  }
  return packed
}

/** Relative imports of an ES module's text (static and dynamic). */
function relativeImports(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] ?? '')
}

test('the tarball holds the CLI, the setup script and its library, dist with types, and nothing else', () => {
  const files = packedFiles()
  for (const f of ['bin/sf-oauth.js', 'scripts/setup.mjs', 'scripts/setup-lib.mjs', 'dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'dist/testing/index.js', 'dist/testing/index.d.ts', 'package.json', 'README.md', 'CHANGELOG.md']) {
    expect(files, f).toContain(f)
  }
  const allowed = /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|bin\/sf-oauth\.js|scripts\/setup(-lib)?\.mjs|dist\/.+\.(js|d\.ts))$/
  expect([...files].filter((f) => !allowed.test(f))).toEqual([])
  expect([...files].filter((f) => /^(src|tests|fixtures|bench|docs|\.sf-oauth)\/|\.env/.test(f))).toEqual([])
})

test('every relative import of a packed module is packed too (setup.mjs needs setup-lib.mjs)', () => {
  const files = packedFiles()
  const missing: string[] = []
  for (const f of files) {
    if (!/\.(m?js)$/.test(f)) continue
    for (const spec of relativeImports(readFileSync(f, 'utf8'))) {
      const target = normalize(join(dirname(f), spec))
      if (!files.has(target)) missing.push(`${f} → ${target}`)
    }
  }
  expect(missing).toEqual([])
})

test('package.json: exports with types, bin, engines 20/22/24, optional @playwright/test peer, no side effects', () => {
  const files = packedFiles()
  for (const [path, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') expect(files, path).toContain(target.replace(/^\.\//, ''))
    else for (const t of [target.types, target.import]) expect(files, `${path}: ${t}`).toContain(t.replace(/^\.\//, ''))
  }
  expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './test']))
  expect(files).toContain(pkg.types.replace(/^\.\//, ''))
  for (const bin of Object.values(pkg.bin)) expect(files).toContain(bin)
  for (const v of ['20.18.1', '22.12.0', '24.0.0', process.versions.node]) expect(satisfies(v, pkg.engines.node), v).toBe(true)
  for (const v of ['20.18.0', '18.20.0', '21.0.0', '23.1.0']) expect(satisfies(v, pkg.engines.node), v).toBe(false)
  expect(pkg.version).toMatch(/^0\.([2-9]|\d{2,})\.\d+$/)
  expect(pkg.sideEffects).toBe(false)
  expect(pkg.peerDependenciesMeta['@playwright/test']?.optional).toBe(true)
  // The peer must be the Playwright this package runs: two copies of Playwright Test refuse to load.
  expect(pkg.peerDependencies['@playwright/test']).toBe(`~${pkg.dependencies.playwright ?? ''}`)
})
