import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from '../errors.js'

type Options = NonNullable<ParseArgsConfig['options']>

/** Strict option parsing with one-line usage errors (exit 2). */
export function parse<T extends Options>(command: string, argv: string[], options: T, allowPositionals = false): ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: boolean }>> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals })
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err)
    throw new UsageError(`${command}: ${msg.replace(/\. To specify a positional argument.*$/, '')}: see sf-oauth ${command} --help`)
  }
}

export function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new UsageError(`--${name} is "${raw}": use a whole number from ${min} to ${max}`)
  }
  return Number(raw)
}
