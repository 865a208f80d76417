/** The history line's JSON Schema (schemas/history-line.schema.json), compiled with ajv (draft 2020-12). */
import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020

export function historyValidator(): (line: unknown) => string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true })
  addFormats(ajv)
  const validate = ajv.compile(JSON.parse(readFileSync('schemas/history-line.schema.json', 'utf8')) as object)
  return (line) => (validate(line) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`))
}
