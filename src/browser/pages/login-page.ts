/**
 * Salesforce's login page, one-step or identifier-first (docs/salesforce-oauth.md §6.1). The same selectors drive the
 * real login.salesforce.com and the emulator.
 */
import type { Locator, Page } from 'playwright'
import { BrowserFlowError } from '../../errors.js'
import { fillSecret } from '../secret-input.js'
import { sanitiseLine } from '../../sanitise.js'

export class LoginPage {
  readonly username: Locator
  readonly password: Locator
  readonly submit: Locator
  readonly error: Locator

  constructor(readonly page: Page) {
    this.username = page.locator('#username')
    this.password = page.locator('#password')
    this.submit = page.locator('#Login')
    this.error = page.locator('div#error.loginError, #error')
  }

  /**
   * Log in; handles the 2026 two-step page (username first, password after a submit). Returns what was
   * on the page: 'one-step', 'two-step', or 'password' (a password-only page for a known username).
   */
  async login(username: string, password: string, timeoutMs: number, seen?: ReadonlySet<string>): Promise<'one-step' | 'two-step' | 'password'> {
    // `seen`: the ids the caller has just found visible on this page, which spares two round trips.
    const visible = async (key: 'username' | 'password', l: Locator) => (seen ? seen.has(key) : l.isVisible())
    let mode: 'one-step' | 'two-step' | 'password' = 'password'
    if (await visible('username', this.username)) {
      await this.username.fill(username)
      mode = 'one-step'
      if (!(await visible('password', this.password))) {
        mode = 'two-step'
        await this.submit.click()
        await this.password.or(this.error).first().waitFor({ state: 'visible', timeout: timeoutMs })
        if (await this.error.isVisible()) throw await this.failure()
      }
    }
    await fillSecret(this.password, password)
    await this.submit.click()
    return mode
  }

  /**
   * "Choose a Username" (`#idlist li a`, `#use_new_identity`; thinly sourced, docs/login-pages.md): pick
   * SF_USERNAME when it is listed, else "Log In with a Different Username". True when it was listed.
   */
  async choose(username: string): Promise<boolean> {
    const listed = this.page.locator('#idlist li a').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(username)}\\s*$`, 'i') }).first()
    if (await listed.isVisible()) {
      await listed.click()
      return true
    }
    await this.page.locator('#use_new_identity').click()
    return false
  }

  /** Is the remembered-username card (`#idcard-identity`) SF_USERNAME's? */
  async cardIs(username: string): Promise<boolean> {
    const text = (await this.page.locator('#idcard-identity').first().textContent()) ?? ''
    return text.trim().toLowerCase() === username.trim().toLowerCase()
  }

  /** Leave a card of another user: "Not you?" (`#clear_link`), else back to the chooser. */
  async leaveCard(): Promise<void> {
    const notYou = this.page.locator('#clear_link')
    await (await notYou.isVisible() ? notYou : this.page.locator('#hint_back_chooser')).click()
  }

  async failure(): Promise<BrowserFlowError> {
    // The page's text is outside input: kept as evidence, sanitised and short.
    const text = sanitiseLine(((await this.error.textContent()) ?? '').replace(/\s+/g, ' ').trim(), 500)
    return new BrowserFlowError('LOGIN_FAILED', 'Salesforce refused the login: check SF_USERNAME and SF_PASSWORD (and that the user is active and not locked out)', { cause: { page: 'login', message: text } })
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
