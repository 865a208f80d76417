/**
 * Which page the browser is on, from several signals read in one round trip: the path, the title and
 * headings, element ids, field names, link and button texts. Some of Salesforce's markup is known only
 * from old clones or code excerpts (docs/login-pages.md says which), so every page is recognised by more
 * than one signal: a path that is sure, a heading, and the ids automation code uses. `classify` is pure.
 */
import type { Page } from 'playwright'

export interface PageSignals {
  readonly path: string
  readonly title: string
  /** h1/h2/h3 texts, trimmed, first few. */
  readonly headings: readonly string[]
  /** Ids (of KNOWN_IDS) of visible elements. */
  readonly ids: readonly string[]
  /** Names of form fields (never values). */
  readonly names: readonly string[]
  /** Visible link and button texts (trimmed, short). */
  readonly actions: readonly string[]
  /** A plain-text answer (`body > pre`). */
  readonly pre: boolean
  readonly loginError: boolean
}

export type Verification = 'email' | 'totp' | 'sms' | 'push' | 'lightning' | 'passkey'
export type Registration = 'passkey' | 'authenticator app' | 'security key' | 'a verification method'

export type PageKind =
  | { readonly kind: 'login'; readonly seen: ReadonlySet<string> }
  | { readonly kind: 'login-error' }
  | { readonly kind: 'login-chooser' }
  | { readonly kind: 'login-card' }
  | { readonly kind: 'consent' }
  | { readonly kind: 'verification'; readonly method: Verification }
  | { readonly kind: 'phone-registration' }
  | { readonly kind: 'maintenance' }
  | { readonly kind: 'password-expired' }
  | { readonly kind: 'mfa-registration'; readonly asks: Registration }
  | { readonly kind: 'plain-error' }
  | { readonly kind: 'unknown' }

/** Ids whose visibility is read. */
export const KNOWN_IDS = [
  'username', 'password', 'Login', 'oaapprove', 'oadeny', 'emc', 'tc', 'smc', 'save', 'idlist', 'use_new_identity', 'idcard-identity',
  'hint_back_chooser', 'clear_link', 'chRegL', 'currentpassword', 'newpassword', 'confirmpassword', 't', 'p', 'c', 'editPage', 'idp_section_buttons',
] as const

/**
 * Elements whose appearance means a known page is there: the caller waits for any of them instead of
 * for the page to settle. (Pages known by path alone are caught when their URL commits.)
 */
export const MARKERS = '#username, #password, input#oaapprove, #emc, #tc, #smc, body > pre, #idlist, #use_new_identity, #idcard-identity, #chRegL, input[name=newpassword], input#p'

/** Paths that identify a page by themselves (sure in docs/login-pages.md, or the emulator's own). */
export const KNOWN_PATH = /^\/(?:_ui\/system\/security\/ChangePassword|_ui\/identity\/(?:phone\/AddPhoneNumber|webauthn\/AddPasskeyUi|verification\/method\/)|msg\/maintenanceandavailable\.jsp)/

const VERIFY_PATH = /^\/_ui\/identity\/verification\/method\/(\w+?)(?:Finish)?Ui\b/

const has = (s: PageSignals, id: string) => s.ids.includes(id)
const heading = (s: PageSignals, re: RegExp) => s.headings.some((h) => re.test(h)) || re.test(s.title)
const action = (s: PageSignals, re: RegExp) => s.actions.some((a) => re.test(a))

export function classify(s: PageSignals): PageKind {
  const path = s.path
  // "Change Your Password": path and field names sure (two independent scripts).
  if (path.startsWith('/_ui/system/security/ChangePassword') || heading(s, /^change your password/i) || (s.names.includes('newpassword') && s.names.includes('confirmpassword'))) return { kind: 'password-expired' }
  if (path.startsWith('/msg/maintenanceandavailable.jsp')) return { kind: 'maintenance' }
  if (path.startsWith('/_ui/identity/phone/AddPhoneNumber') || heading(s, /register your mobile phone/i)) return { kind: 'phone-registration' }
  const registration = registrationOf(s)
  if (registration !== undefined) return { kind: 'mfa-registration', asks: registration }
  const verification = verificationOf(s)
  if (verification !== undefined) return { kind: 'verification', method: verification }
  if (has(s, 'oaapprove') || path.endsWith('/RemoteAccessAuthorizationPage.apexp') || /^allow access\?/i.test(s.title)) return { kind: 'consent' }
  if (has(s, 'idlist') || has(s, 'use_new_identity')) return { kind: 'login-chooser' }
  if (has(s, 'idcard-identity') && has(s, 'password')) return { kind: 'login-card' }
  if (has(s, 'username') || has(s, 'password')) return s.loginError ? { kind: 'login-error' } : { kind: 'login', seen: new Set(s.ids) }
  if (s.pre) return { kind: 'plain-error' }
  return { kind: 'unknown' }
}

function registrationOf(s: PageSignals): Registration | undefined {
  if (s.path.startsWith('/_ui/identity/webauthn/AddPasskeyUi') || heading(s, /create a passkey|register a built-in authenticator/i)) return 'passkey'
  if (heading(s, /connect an authenticator app/i) || (has(s, 't') && has(s, 'chRegL'))) return 'authenticator app'
  if (heading(s, /register a security key/i)) return 'security key'
  if (heading(s, /choose a verification method/i)) return 'a verification method'
  return undefined
}

function verificationOf(s: PageSignals): Verification | undefined {
  if (has(s, 'emc')) return 'email'
  if (has(s, 'tc')) return 'totp'
  if (has(s, 'smc')) return 'sms'
  const name = VERIFY_PATH.exec(s.path)?.[1]
  const byPath: Readonly<Record<string, Verification>> = { EmailVerification: 'email', TotpVerification: 'totp', SmsVerification: 'sms', ToopherVerification: 'push', LLVerification: 'lightning', UnifiedPasskeyVerification: 'passkey' }
  if (name !== undefined && byPath[name] !== undefined) return byPath[name]
  if (heading(s, /verify your identity/i) && action(s, /log in with a passkey|use (?:a|your) passkey|security key/i)) return 'passkey'
  return undefined
}

/** Read the signals in one evaluation. `undefined` when the page navigated meanwhile. */
export async function readSignals(page: Page): Promise<PageSignals | undefined> {
  try {
    const raw = await page.evaluate((known: readonly string[]) => {
      const visible = (el: Element) => {
        const box = el.getBoundingClientRect()
        return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden'
      }
      const text = (el: Element) => el.textContent.replace(/\s+/g, ' ').trim().slice(0, 120)
      const ids = known.filter((id) => {
        const el = document.getElementById(id)
        return el !== null && visible(el)
      })
      const names = [...document.querySelectorAll('input[name], select[name], textarea[name], button[name]')].map((el) => el.getAttribute('name') ?? '').slice(0, 100)
      const actions = [...document.querySelectorAll('a, button, input[type=submit], input[type=button]')]
        .filter(visible)
        .map((el) => (el instanceof HTMLInputElement ? el.value.trim().slice(0, 120) : text(el)))
        .filter(Boolean)
        .slice(0, 60)
      const pre = document.querySelector('body > pre')
      const err = document.querySelector('div#error.loginError')
      return {
        path: location.pathname,
        title: document.title.trim().slice(0, 200),
        headings: [...document.querySelectorAll('h1, h2, h3')].map(text).filter(Boolean).slice(0, 8),
        ids,
        names,
        actions,
        pre: pre !== null && visible(pre),
        loginError: err !== null && visible(err),
      }
    }, KNOWN_IDS)
    return raw
  } catch (err) {
    if (err instanceof Error && /context was destroyed|navigat/i.test(err.message)) return undefined
    throw err
  }
}

/** The form fields of the page by name, type and id: never their values (for FLOW_UNKNOWN_PAGE and --record). */
export async function formFields(page: Page): Promise<{ name: string; type: string; id: string }[]> {
  return page
    .evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')].slice(0, 100).map((el) => ({
        name: (el.getAttribute('name') ?? '').slice(0, 100),
        type: (el.getAttribute('type') ?? el.tagName.toLowerCase()).slice(0, 30),
        id: (el.id || '').slice(0, 100),
      })),
    )
    .catch(() => [])
}

/** What `--record` keeps of the page a flow failed on: title, path, headings, form fields (never values). */
export async function describePage(page: Page): Promise<{ title: string; path: string; headings: readonly string[]; fields: { name: string; type: string; id: string }[] }> {
  const signals = await readSignals(page).catch(() => undefined)
  const path = URL.canParse(page.url()) ? new URL(page.url()).pathname : ''
  return { title: signals?.title ?? '', path, headings: signals?.headings ?? [], fields: await formFields(page) }
}
