/**
 * The one sanitiser for text that came from outside (a server's error_description, page text, a
 * username, a replayed transcript) on its way to a terminal, a report or JUnit. Pure.
 *
 * A terminal acts on what it is sent: ECMA-48 escape sequences set the window title (OSC), erase lines
 * and move the cursor (CSI); a carriage return overwrites a line; a newline starts a forged one; bidi
 * overrides (Unicode TR #9) reorder what is shown. So, in this order: escape sequences go whole, line
 * breaks fold into one space, every other control and format character goes, and the length is capped.
 */

/* eslint-disable no-control-regex -- matching control characters is what this module is for */

import { maskUserinfo } from './credentials/shapes.js'

/** Longest value shown; the rest is counted, not printed. */
export const MAX_LINE = 2000

// ECMA-48 §5.4/§5.6: CSI (ESC [ or U+009B) parameters, intermediates, one final byte.
const CSI = /(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?/g
// OSC, DCS, SOS, PM, APC: a string up to ST (ESC \ or U+009C), or BEL for OSC; unterminated: to the end.
const STRINGS = /(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?/g
// Any other escape: ESC, intermediates, one final byte (ESC ( B, ESC c, ESC 7 ...).
const ESC = /\x1b[\x20-\x2f]*[\x30-\x7e]?/g
// CR LF, CR, LF, VT, FF, NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
const BREAKS = /(?:\r\n|[\n\v\f\r\x85\u2028\u2029])+/g
// C0 (tab included: it moves the cursor), DEL, C1; format characters (bidi embeddings, overrides and
// isolates U+202A-U+202E and U+2066-U+2069, marks, zero-width characters, BOM, tags: category Cf);
// the non-characters U+FFFE and U+FFFF, which XML 1.0 does not allow either.
const INVISIBLE = /[\x00-\x1f\x7f-\x9f\p{Cf}\uFFFE\uFFFF]/gu
// A lone surrogate (half of a pair): not text, and not allowed in XML.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD')
}

/** Remove what acts on a terminal and fold line breaks: one line, at most `max` characters. */
export function sanitiseLine(text: string, max = MAX_LINE): string {
  const out = wellFormed(text)
    .replace(STRINGS, '')
    .replace(CSI, '')
    .replace(ESC, '')
    .replace(BREAKS, ' ')
    .replace(/\t/g, ' ')
    .replace(INVISIBLE, '')
  return cap(out, max)
}

/**
 * For text that may span lines on purpose (a stack trace shown with --debug): each line sanitised,
 * line breaks kept as `\n`.
 */
export function sanitiseBlock(text: string, max = MAX_LINE): string {
  return text.split(/\r\n|\n/).map((l) => sanitiseLine(l, max)).join('\n')
}

function cap(text: string, max: number): string {
  if (text.length <= max) return text
  // Cut on a code point, never inside a surrogate pair.
  const cut = text.slice(0, /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max)
  return `${cut}… [${text.length - cut.length} more characters]`
}

const XML_ESCAPES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' }

/**
 * For an XML attribute or text node: sanitised to one line (so only characters XML 1.0 §2.2 allows
 * remain: no C0 but tab/LF/CR, which the fold removed too, no lone surrogates, no U+FFFE/U+FFFF), then
 * the five markup characters escaped.
 */
export function xmlText(text: string, max = MAX_LINE): string {
  return sanitiseLine(text, max).replace(/[<>&"']/g, (c) => XML_ESCAPES[c] ?? c)
}

// Characters JSON.stringify leaves raw but a terminal acts on (DEL, C1, format characters, U+2028/2029).
const JSON_RAW = /[\x7f-\x9f\p{Cf}\u2028\u2029]/gu

/**
 * `--json` is read by programs, so values stay exact: JSON.stringify already writes C0 controls (ESC,
 * CR, LF) as escapes, and the rest that could act on a terminal is written as `\uXXXX` here. A parser
 * gets the same value back; a person who cats the output sees no escape take effect.
 */
export function jsonForTerminal(value: unknown): string {
  const text = (JSON.stringify(value) as string | undefined) ?? 'null'
  return text.replace(JSON_RAW, (c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join(''))
}

/**
 * A URL as we print it: user and password masked (a proxy URL `http://user:pass@proxy:3128`). Also for
 * a string that does not parse as a URL, whose `//user:password@` is masked by shape.
 */
export function displayUrl(raw: string): string {
  try {
    const url = new URL(raw)
    if (url.username === '' && url.password === '') return raw
    url.username = '***'
    url.password = ''
    return url.toString()
  } catch {
    return maskUserinfo(raw, 'typed')
  }
}
