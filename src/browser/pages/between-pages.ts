/**
 * Pages between login and the callback that are not about identity (docs/login-pages.md): what a careful
 * user does on each. Never registers a phone, never changes a password, never takes a single sign-on button.
 */
import type { Page } from 'playwright'
import { BrowserFlowError } from '../../errors.js'
import { redactor } from '../../redact.js'
import { sanitiseLine } from '../../sanitise.js'
import type { PageSignals, Registration } from './recognise.js'

/**
 * "Register Your Mobile Phone" (`/_ui/identity/phone/AddPhoneNumber`): a "Continue" after opting out, else
 * "Remind Me Later" (changes nothing), else "I Don't Want to Register My Phone" (scripts match its text
 * partially, or the `AddPhoneNumber?retURL` link), else straight to `retURL`. Returns what it took.
 */
export async function skipPhoneRegistration(page: Page): Promise<string> {
  const tries: [string, ReturnType<Page['locator']>][] = [
    ['Continue', page.locator('.continue').first()],
    ['Remind Me Later', page.getByRole('link', { name: /remind me later/i }).first()],
    ["I Don't Want to Register My Phone", page.getByRole('link', { name: /don.?t want to register/i }).or(page.locator('a[href*="AddPhoneNumber?retURL"][href*="n=true"]')).first()],
  ]
  for (const [label, locator] of tries) {
    if (await locator.isVisible()) {
      await locator.click()
      return label
    }
  }
  await page.goto(returnUrl(page) ?? new URL('/', page.url()).href, { waitUntil: 'commit' })
  return 'went to retURL'
}

/** `retURL` of the current page as an absolute URL on the same origin, or undefined. */
function returnUrl(page: Page): string | undefined {
  const here = new URL(page.url())
  const ret = here.searchParams.get('retURL')
  if (ret === null || !/^\/(?![/\\])/.test(ret)) return undefined
  const target = new URL(ret, here.origin)
  return target.origin === here.origin ? target.href : undefined
}

/**
 * The maintenance page (`/msg/maintenanceandavailable.jsp?s=…&e=…&retURL=…`): go on to `retURL`, or
 * straight to the authorize URL (sfdx-browserforce-plugin PR #749 did the latter). Returns where it went.
 */
export async function continuePastMaintenance(page: Page, authorizeUrl: string, timeoutMs: number): Promise<string> {
  const ret = returnUrl(page)
  await page.goto(ret ?? authorizeUrl, { waitUntil: 'commit', timeout: timeoutMs })
  return ret === undefined ? 'the authorize URL' : 'retURL'
}

/** On the registration prompt (sf-oauth passkey enrol): choose the built-in authenticator, or create the passkey. */
export async function enrolPasskey(page: Page, asks: Registration): Promise<'created' | 'chose'> {
  if (asks === 'a verification method') {
    await page.getByRole('link', { name: /built-in authenticator|passkey/i }).or(page.getByRole('button', { name: /built-in authenticator|passkey/i })).first().click()
    return 'chose'
  }
  await page.getByRole('button', { name: /create (?:a )?passkey|register|^create$|add passkey/i }).first().click()
  return 'created'
}

/** FLOW_UNKNOWN_PAGE: the page's title and path, its form fields by name (never values) as evidence. */
export function unknownPageError(signals: PageSignals, fields: readonly { name: string; type: string; id: string }[]): BrowserFlowError {
  const title = sanitiseLine(signals.title || signals.headings[0] || '(no title)', 120)
  const path = sanitiseLine(redactor.text(signals.path), 200)
  const loginFlow = /^\/apex\//i.test(signals.path) || /\/flow\//i.test(signals.path)
  const why = loginFlow ? 'an org login flow (a Visualforce /apex/ or Flow page) the harness cannot know' : 'a page the harness does not know; org login flows (/apex/… or Flow pages) are the usual cause'
  return new BrowserFlowError(
    'FLOW_UNKNOWN_PAGE',
    `the browser stopped on "${title}" at ${path}, ${why}: see the screenshot and form fields with --record DIR, then exempt the user from the login flow or complete it once by hand`,
    { cause: { title, path, headings: signals.headings.map((h) => sanitiseLine(h, 120)), fields: fields.map((f) => ({ name: sanitiseLine(f.name, 100), type: sanitiseLine(f.type, 30), id: sanitiseLine(f.id, 100) })) } },
  )
}
