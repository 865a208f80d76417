/**
 * The docs hold: every "§x.y" a comment (or a fixture's `source`) cites resolves to a heading of the page it
 * cites, every relative link in README.md and docs/*.md reaches a file (and a heading, for an #anchor),
 * and the README stays short enough to be read.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const SECTION = '\u00a7'
const THIS_FILE = relative(root, fileURLToPath(import.meta.url))

/** Pages of this repository that code cites by section, by the name a citation uses. */
const PAGES: Record<string, string> = {
  'salesforce-oauth.md': 'docs/salesforce-oauth.md',
  'salesforce-login-pages.md': 'docs/salesforce-login-pages.md',
}
/**
 * Documents cited by section that are not ours. A section number belongs to the nearest document named
 * before it on the same line; one with no document before it cites docs/salesforce-oauth.md (the fixture
 * maker's `source` strings and comments under a header that names the page).
 */
const OTHERS = String.raw`RFC ?\d+|ECMA-48|XML 1\.0|OpenID Connect Core|OIDC Core`
const DOC_NAME = new RegExp(`(${OTHERS}|${Object.keys(PAGES).map((n) => n.replace('.', '\\.')).join('|')})`, 'g')
const CITED = new RegExp(`${SECTION} ?(\\d+(?:\\.\\d+)*[a-z]?)`, 'g')


function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(root, dir))) {
    const rel = join(dir, name)
    if (statSync(join(root, rel)).isDirectory()) walk(rel, out)
    else if (/\.(ts|mjs|js|json)$/.test(name) && !/^bench\/results\./.test(rel)) out.push(rel)
  }
  return out
}

function headingNumbers(page: string): Set<string> {
  const out = new Set<string>()
  for (const line of readFileSync(join(root, page), 'utf8').split('\n')) {
    const m = /^#{1,6} +(\d+(?:\.\d+)*[a-z]?)\.? /.exec(line)
    if (m?.[1] !== undefined) out.add(m[1])
  }
  return out
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(page: string): Set<string> {
  const out = new Set<string>()
  const seen = new Map<string, number>()
  let fenced = false
  for (const line of readFileSync(page, 'utf8').split('\n')) {
    if (line.startsWith('```')) fenced = !fenced
    const m = fenced ? null : /^#{1,6} +(.+?) *$/.exec(line)
    if (m?.[1] === undefined) continue
    const base = m[1].toLowerCase().replace(/[^\p{L}\p{N}\- _]/gu, '').replace(/ /g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

interface Citation { readonly file: string; readonly line: number; readonly page: string; readonly section: string }

function citations(): Citation[] {
  const out: Citation[] = []
  const files = ['src', 'tests', 'scripts', 'bench', 'fixtures'].flatMap((d) => walk(d)).filter((f) => f !== THIS_FILE)
  for (const file of files) {
    readFileSync(join(root, file), 'utf8').split('\n').forEach((text, i) => {
      const docs = [...text.matchAll(DOC_NAME)]
      for (const m of text.matchAll(CITED)) {
        const named = docs.filter((d) => d.index < m.index).at(-1)?.[1] ?? 'salesforce-oauth.md'
        const page = PAGES[named]
        if (page !== undefined && m[1] !== undefined) out.push({ file, line: i + 1, page, section: m[1] })
      }
    })
  }
  return out
}

test('every section a comment cites exists as a heading of the page it cites', () => {
  const found = citations()
  // Dozens of comments cite the page; finding almost none means the scan broke, not that all is well.
  expect(found.length).toBeGreaterThan(50)
  const headings = new Map<string, Set<string>>()
  const missing = found.filter((c) => {
    if (!existsSync(join(root, c.page))) return true
    if (!headings.has(c.page)) headings.set(c.page, headingNumbers(c.page))
    return headings.get(c.page)?.has(c.section) !== true
  })
  expect(missing.map((c) => `${c.file}:${c.line} cites ${c.page} ${SECTION}${c.section}`)).toEqual([])
})

test('no comment points at the reference notes outside the repository', () => {
  const stale = new RegExp(`\\breference ${SECTION}|shared[ /]reference|\\bpeers ${SECTION}|\\.\\./shared`, 'i')
  const hits: string[] = []
  for (const file of ['src', 'tests', 'scripts', 'bench', 'fixtures'].flatMap((d) => walk(d)).filter((f) => f !== THIS_FILE)) {
    readFileSync(join(root, file), 'utf8').split('\n').forEach((text, i) => {
      if (stale.test(text)) hits.push(`${file}:${i + 1}`)
    })
  }
  expect(hits).toEqual([])
})

test('every relative link in README.md and docs/*.md resolves, #anchors included', () => {
  const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((n) => n.endsWith('.md')).map((n) => `docs/${n}`)]
  const broken: string[] = []
  let checked = 0
  for (const page of pages) {
    let fenced = false
    readFileSync(join(root, page), 'utf8').split('\n').forEach((text, i) => {
      if (text.startsWith('```')) fenced = !fenced
      if (fenced) return
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const href = m[1] ?? ''
        if (/^[a-z][a-z0-9+.-]*:/i.test(href)) continue
        checked++
        const [path = '', anchor] = href.split('#')
        const target = path === '' ? join(root, page) : resolve(dirname(join(root, page)), path)
        if (!existsSync(target)) {
          broken.push(`${page}:${i + 1} ${href}: no such file`)
        } else if (anchor !== undefined && target.endsWith('.md') && !anchors(target).has(anchor)) {
          broken.push(`${page}:${i + 1} ${href}: no such heading`)
        }
      }
    })
  }
  expect(checked).toBeGreaterThan(20)
  expect(broken).toEqual([])
})

test('README.md has at most 200 lines', () => {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n')
  if (lines.at(-1) === '') lines.pop()
  expect(lines.length).toBeLessThanOrEqual(200)
})
