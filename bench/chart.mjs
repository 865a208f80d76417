// @ts-check
/**
 * The SVG chart of a bench run (no dependencies): each targeted figure as a bar of "how far past the
 * target" (1 = exactly on target, right of the line = pass), then flows per second by concurrency.
 */
import { writeFileSync } from 'node:fs'

/** @param {string} s */
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * @param {string} path
 * @param {{ id: string, figure: string, unit: string, median: number | null, target?: { op: '<=' | '>=', value: number, text: string }, result: string }[]} rows
 */
export function writeSvg(path, rows) {
  const W = 760
  const label = 330
  const barMax = W - label - 90
  const cap = 3
  const targeted = rows.filter((r) => r.target && r.median !== null)
  const rates = rows.filter((r) => /^flows_per_s_c\d+$/.test(r.id) && r.median !== null)
  const parts = []
  let y = 30
  parts.push(`<text x="10" y="20" font-weight="bold">Against target (1 = on target; past the line = pass; capped at ${cap})</text>`)
  const x1 = label + (barMax * 1) / cap
  for (const r of targeted) {
    const t = /** @type {{ op: string, value: number, text: string }} */ (r.target)
    const m = /** @type {number} */ (r.median)
    const score = t.op === '>=' ? m / t.value : t.value / Math.max(m, 1e-9)
    const w = (barMax * Math.min(score, cap)) / cap
    const color = r.result === 'pass' ? '#2e844a' : '#c23934'
    parts.push(`<text x="10" y="${y + 13}" font-size="11">${esc(r.figure.slice(0, 52))}</text>`)
    parts.push(`<rect x="${label}" y="${y}" width="${w.toFixed(1)}" height="16" fill="${color}"/>`)
    parts.push(`<text x="${label + w + 4}" y="${y + 13}" font-size="11">${score.toFixed(2)} (${esc(t.text)})</text>`)
    y += 22
  }
  parts.push(`<line x1="${x1}" y1="26" x2="${x1}" y2="${y}" stroke="#000" stroke-dasharray="4 3"/>`)
  if (rates.length > 0) {
    y += 24
    parts.push(`<text x="10" y="${y}" font-weight="bold">Full flows per second by concurrency (target 4)</text>`)
    y += 10
    const max = Math.max(4, ...rates.map((r) => /** @type {number} */ (r.median)))
    const x4 = label + (barMax * 4) / max
    const top = y
    for (const r of rates) {
      const m = /** @type {number} */ (r.median)
      const w = (barMax * m) / max
      parts.push(`<text x="10" y="${y + 13}" font-size="11">concurrency ${r.id.replace('flows_per_s_c', '')}</text>`)
      parts.push(`<rect x="${label}" y="${y}" width="${w.toFixed(1)}" height="16" fill="#0176d3"/>`)
      parts.push(`<text x="${label + w + 4}" y="${y + 13}" font-size="11">${m.toFixed(2)}/s</text>`)
      y += 22
    }
    parts.push(`<line x1="${x4}" y1="${top - 4}" x2="${x4}" y2="${y}" stroke="#000" stroke-dasharray="4 3"/>`)
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${y + 10}" font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>\n`
  writeFileSync(path, svg)
}
