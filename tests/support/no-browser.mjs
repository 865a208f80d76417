/**
 * `node --import tests/support/no-browser.mjs bin/sf-oauth.js …`: the sf-oauth process fails the moment it
 * resolves Playwright (a proof, at run time, that a command is browser-free). Other processes started
 * with the same NODE_OPTIONS (the --open-with script that plays the person) are left alone.
 */
import { register } from 'node:module'

if (/sf-oauth(\.js)?$/.test(process.argv[1] ?? '')) {
  const hook = `export async function resolve(specifier, context, next) {
    if (/^(playwright|playwright-core|@playwright\\/.*)$/.test(specifier)) throw new Error('browser-free path resolved ' + specifier)
    return next(specifier, context)
  }`
  register(`data:text/javascript,${encodeURIComponent(hook)}`)
}
