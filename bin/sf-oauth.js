#!/usr/bin/env node
// Thin launcher: the CLI is TypeScript compiled to dist/ by `npm run setup` (or `npm run build`).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const entry = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url))
if (!existsSync(entry)) {
  process.stderr.write('sf-oauth: not built yet; run npm run setup\n')
  process.exit(3)
}
const { main } = await import(entry)
process.exitCode = await main(process.argv.slice(2))
