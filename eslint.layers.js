// @ts-check
/**
 * The layer rules (docs/ops-layers.md), as ESLint flat-config objects: eslint.config.js applies them,
 * tests/architecture/layers.spec.ts lints a planted violation of each with these very objects (types:
 * eslint.layers.d.ts).
 * Static imports go through no-restricted-imports; dynamic `import()` through no-restricted-syntax.
 */

/** Modules that do I/O (files, sockets, DNS, TLS, processes, HTTP, a browser, recording). */
const IO_PACKAGES = ['fs', 'net', 'tls', 'dns', 'http', 'https', 'http2', 'child_process', 'dgram', 'worker_threads']
const IO_PACKAGE_RE = `^(node:)?(${IO_PACKAGES.join('|')})(/.*)?$|^(undici|nock|playwright|playwright-core|@playwright/.*)$`
/** The harness's own I/O layers, as seen from a sibling folder of src/. */
const IO_LAYER_RE = '^\\.\\./(http|client|browser|store|flow|cli|record|report|targets|emulator)(/|\\.js$)'

/** esquery regexes cannot hold a "/": write it as \x2F. */
const esq = (/** @type {string} */ re) => re.replaceAll('/', '\\x2F')

/**
 * One layer rule: what files under `files` may not import (static or dynamic), and why.
 * @param {string} name @param {string[]} files @param {{ regex: string, message: string }[]} bans @param {string[]} [ignores]
 * @returns {import('eslint').Linter.Config}
 */
function layer(name, files, bans, ignores = []) {
  return {
    name: `layers/${name}`,
    files,
    ignores,
    rules: {
      'no-restricted-imports': ['error', { patterns: bans.map((b) => ({ regex: b.regex, message: b.message })) }],
      'no-restricted-syntax': ['error', ...bans.map((b) => ({ selector: `ImportExpression[source.value=/${esq(b.regex)}/]`, message: b.message }))],
    },
  }
}

export const oauthIsPure = layer('oauth-is-pure', ['src/oauth/**/*.ts'], [
  { regex: IO_PACKAGE_RE, message: 'src/oauth is pure protocol code: no I/O module; send requests from src/http, pair them in src/client.' },
  { regex: IO_LAYER_RE, message: 'src/oauth is pure protocol code: it imports no layer that does I/O (src/http, src/client, src/browser, src/store, ...).' },
])

export const commandsImportNoCommand = layer('commands-import-no-command', ['src/cli/commands/**/*.ts'], [
  { regex: '^\\./|^\\.\\./commands/', message: 'No command imports another command: move what they share into a layer (src/targets, src/store, src/client, ...).' },
])

/** src/emulator must not share code with what it tests: nothing above src/emulator (depth by depth). */
export const emulatorIsIndependent = [0, 1, 2].map((depth) => layer(
  `emulator-is-independent-${depth}`,
  [`src/emulator/${'*/'.repeat(depth)}*.ts`],
  [{ regex: `^(\\.\\./){${depth + 1}}`, message: 'src/emulator shares no code with the harness it tests: import only inside src/emulator (and packages).' }],
))

/** Only src/http calls fetch (so every request has its time limits, proxies, size limit and exchange log). */
export const onlyHttpFetches = {
  name: 'layers/only-http-fetches',
  files: ['src/**/*.ts'],
  ignores: ['src/http/**'],
  rules: {
    'no-restricted-globals': ['error', { name: 'fetch', message: 'Only src/http does network I/O: send requests through createHttp (src/http/client.ts).' }],
  },
}

/**
 * The properties nobody reads (eslint.config.js, every .ts file): process.env outside src/config.ts, and
 * globalThis.fetch (with no-restricted-globals above: only src/http calls fetch). A config that sets
 * no-restricted-properties again must repeat them: ESLint replaces a rule's options, it does not merge them.
 */
export const restrictedProperties = [
  { object: 'process', property: 'env', message: 'Read configuration through src/config.ts only.' },
  { object: 'globalThis', property: 'fetch', message: 'Only src/http does network I/O: send requests through createHttp (src/http/client.ts).' },
]

const SESSION_ONLY = 'Only the browser session (src/browser/session.ts) launches a browser or opens a context: use openBrowserSession or launchBrowser, so every flow gets the same context settings and clean-up.'

/**
 * Only src/browser/session.ts launches a browser or opens a context (the flow, the pool and check --flow
 * all go through it): no `chromium.launch`, `newContext`, `launchPersistentContext` or `connectOverCDP`
 * elsewhere in src/.
 */
export const onlyTheSessionOpensBrowsers = {
  name: 'layers/only-the-session-opens-browsers',
  files: ['src/**/*.ts'],
  ignores: ['src/browser/session.ts'],
  rules: {
    'no-restricted-properties': ['error',
      ...restrictedProperties,
      ...['chromium', 'firefox', 'webkit'].flatMap((object) => ['launch', 'launchServer'].map((property) => ({ object, property, message: SESSION_ONLY }))),
      ...['newContext', 'launchPersistentContext', 'connectOverCDP'].map((property) => ({ property, message: SESSION_ONLY })),
    ],
  },
}

/** Every layer rule, in the order eslint.config.js applies them. */
export const layerRules = [oauthIsPure, commandsImportNoCommand, ...emulatorIsIndependent, onlyHttpFetches, onlyTheSessionOpensBrowsers]
