/**
 * Shared checks of the property-based specs (fast-check): a parser of outside input either succeeds or
 * throws a HarnessError whose code is one the parser is known to use, never INTERNAL_ERROR, never a stack.
 * Inside a property use node:assert, not Playwright's expect: expect records a step per call, which makes
 * thousands of runs take minutes instead of a second.
 */
import assert from 'node:assert/strict'
import { HarnessError } from '../../src/errors.js'

/** Fixed seeds, so a failure reproduces: fast-check prints the seed and path of the shrunk counterexample. */
export const SEED = 20_110_011

/** Outcome of calling a parser: its value, or the code of the typed error it threw. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; error: HarnessError }

/** `known`: exact codes, or patterns for codes derived from a server's `error` (TOKEN_<ERROR>). */
export function typedOutcome<T>(fn: () => T, known: readonly (string | RegExp)[]): Outcome<T> {
  let value: T
  try {
    value = fn()
  } catch (err) {
    return { ok: false, ...checkTyped(err, known) }
  }
  return { ok: true, value }
}

export async function typedOutcomeAsync<T>(fn: () => Promise<T>, known: readonly (string | RegExp)[]): Promise<Outcome<T>> {
  let value: T
  try {
    value = await fn()
  } catch (err) {
    return { ok: false, ...checkTyped(err, known) }
  }
  return { ok: true, value }
}

export function checkTyped(err: unknown, known: readonly (string | RegExp)[]): { code: string; error: HarnessError } {
  if (!(err instanceof HarnessError)) {
    throw new Error(`not a HarnessError: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`, { cause: err })
  }
  assert.notEqual(err.code, 'INTERNAL_ERROR', err.message)
  assert.ok(known.some((k) => (typeof k === 'string' ? k === err.code : k.test(err.code))), `unknown code ${err.code} (${err.message})`)
  assert.doesNotMatch(err.message, /\n\s+at /, 'a stack in the message')
  assert.ok(err.message.length > 0, 'an empty message')
  return { code: err.code, error: err }
}

/** The `code` a synchronous call throws with, or undefined when it does not throw. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return (err as { code?: string }).code
  }
  return undefined
}
