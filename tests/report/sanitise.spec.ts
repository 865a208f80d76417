/**
 * The one sanitiser (src/sanitise.ts): what a hostile server can put into a message never acts on a
 * terminal, never forges a line, and never breaks JUnit's XML or --json.
 */
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import fc from 'fast-check'
import { XMLParser } from 'fast-xml-parser'
import { SyntaxValidator } from 'fast-xml-validator'
import { junitXml } from '../../src/report/junit.js'
import { maskUserinfo } from '../../src/credentials/shapes.js'
import { displayUrl, jsonForTerminal, MAX_LINE, sanitiseBlock, sanitiseLine, xmlText } from '../../src/sanitise.js'
import { Redactor } from '../../src/redact.js'

/** Window title (OSC … BEL), erase line (CSI 2K), carriage return, a forged summary line, a bidi override. */
export const HOSTILE = 'bad\x1b]0;pwned\x07 \x1b[2K\rgone\nok: 13 checks (0 warnings) \u202eevil\u202c \x1bP1$r\x1b\\ \x9b31m \x00\x08\x7f\u2028\u2066x\u2069\u200b'

// Anything a terminal acts on: C0 but nothing, DEL, C1, bidi and other format characters, line separators.
// eslint-disable-next-line no-control-regex -- what the test looks for
const ACTIVE = /[\x00-\x1f\x7f-\x9f\p{Cf}\u2028\u2029\uFFFE\uFFFF]/u
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

test('escape sequences go whole, line breaks fold, bidi and control characters go', () => {
  const out = sanitiseLine(HOSTILE)
  expect(out).not.toMatch(ACTIVE)
  expect(out).not.toContain('pwned')
  expect(out).not.toContain('2K')
  expect(out).toBe('bad  gone ok: 13 checks (0 warnings) evil    x')
  expect(out.split('\n')).toHaveLength(1)
})

test('an unterminated OSC swallows the rest, as the terminal would have', () => {
  expect(sanitiseLine('ok\x1b]0;title without end')).toBe('ok')
})

test('long values are capped, never inside a surrogate pair', () => {
  const long = `${'a'.repeat(MAX_LINE - 1)}😀tail`
  const out = sanitiseLine(long)
  expect(out.startsWith('a'.repeat(MAX_LINE - 1))).toBe(true)
  expect(out).not.toMatch(LONE_SURROGATE)
  expect(out).toMatch(/… \[\d+ more characters\]$/)
  expect(sanitiseLine('x'.repeat(10), 4)).toBe('xxxx… [6 more characters]')
})

test('a block keeps its own lines and sanitises each', () => {
  expect(sanitiseBlock('Error: a\x1b[2K\n    at f (x.js:1)\r\n')).toBe('Error: a\n    at f (x.js:1)\n')
})

// Properties return booleans: an expect() per run is a traced step and costs ~20 ms each.
test('property: any string gives one line with nothing a terminal acts on, no longer than the cap', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 1, max: 200 }), (s, max) => {
      const out = sanitiseLine(s, max)
      return !ACTIVE.test(out) && !LONE_SURROGATE.test(out) && !out.includes('\n') && out.length <= max + '… [ more characters]'.length + 4
    }),
    { numRuns: 5000 },
  )
})

test('property: xmlText of any string is a well-formed attribute and text node that reads back as the sanitised text', () => {
  const parser = new XMLParser({ ignoreAttributes: false, trimValues: false, parseTagValue: false, parseAttributeValue: false, processEntities: true, htmlEntities: false })
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<r a="${xmlText(s)}">x</r>`
      // Throws on a character or markup XML does not allow.
      SyntaxValidator.validate(xml)
      const doc = parser.parse(xml) as { r: { '@_a': string } }
      return doc.r['@_a'] === sanitiseLine(s)
    }),
    { numRuns: 3000 },
  )
})

test('JUnit with a server message full of escapes, control characters and markup: valid XML a parser reads', () => {
  const message = `${HOSTILE} <tag attr="x"> & ]]> \x01\x0b\x0c\uFFFE\uD800`
  const xml = junitXml('sf-oauth check', [
    { name: `org-\x1b[31mred`, classname: 'sf-oauth.check.production', durationMs: 12, failure: { code: 'TOKEN_INVALID_GRANT', message } },
    { name: 'fine', classname: 'sf-oauth.check.sandbox', durationMs: 3 },
  ])
  expect(SyntaxValidator.validate(xml)).toBe(true)
  // Our own line breaks stay; nothing else from ACTIVE, and no lone surrogate.
  expect(xml.replace(/\n/g, '')).not.toMatch(ACTIVE)
  expect(xml).not.toMatch(LONE_SURROGATE)
  type Case = { '@_name': string; failure?: { '@_type': string; '@_message': string } }
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'testcase' }).parse(xml) as { testsuites: { testsuite: { testcase: Case[] } } }
  const cases = doc.testsuites.testsuite.testcase
  expect(cases.map((c) => c['@_name'])).toEqual(['org-red', 'fine'])
  expect(cases[0]?.failure?.['@_type']).toBe('TOKEN_INVALID_GRANT')
})

test('--json: values exact for a parser, nothing raw for a terminal', () => {
  const value = { message: HOSTILE, nested: [HOSTILE, 1, null], tag: '\u{E0041}', lone: '\uD800' }
  const text = jsonForTerminal(value)
  expect(text).not.toMatch(ACTIVE)
  expect(JSON.parse(text)).toEqual(value)
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 3 }), (v) => {
    const t = jsonForTerminal(v)
    return !ACTIVE.test(t) && JSON.stringify(JSON.parse(t)) === JSON.stringify(v)
  }), { numRuns: 3000 })
})

test('displayUrl masks user and password of a URL, and of a string that does not parse', () => {
  expect(displayUrl('http://user:s3cret@proxy.example:3128')).toBe('http://***@proxy.example:3128/')
  expect(displayUrl('http://proxy.example:3128')).toBe('http://proxy.example:3128')
  expect(displayUrl('https://user:pa/ss@login.salesforce.com:99999')).toBe('https://***@login.salesforce.com:99999')
  expect(displayUrl('not a url at all')).toBe('not a url at all')
  expect(maskUserinfo('HTTPS_PROXY=http://me:p@ss@proxy:1 and http://other:x@h', 'typed')).toBe('HTTPS_PROXY=http://***@proxy:1 and http://***@h')
})

test('the redactor masks URL user information wherever it is printed, and never our own placeholders', () => {
  const r = new Redactor()
  expect(r.text('proxy http://user:s3cretpw@proxy:3128/ and https://ok.example/a?b=c@d')).toBe('proxy http://***@proxy:3128/ and https://ok.example/a?b=c@d')
  const placeholder = 'write force://<clientId>:<clientSecret>:<refreshToken>@<instance> (mode 0600)'
  expect(r.text(placeholder)).toBe(placeholder)
  expect(r.text('force://3MVG9x:secret:5Aep861abc@acme.my.salesforce.com')).not.toContain(':secret:')
})
