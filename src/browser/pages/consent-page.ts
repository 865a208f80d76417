/** "Allow Access?" (`/setup/secur/RemoteAccessAuthorizationPage.apexp`, docs/salesforce-oauth.md §6.3). */
import type { Locator, Page } from 'playwright'

export class ConsentPage {
  static readonly PATH = '/setup/secur/RemoteAccessAuthorizationPage.apexp'
  readonly allow: Locator
  readonly deny: Locator

  constructor(readonly page: Page) {
    this.allow = page.locator('input#oaapprove')
    this.deny = page.locator('input#oadeny')
  }

  async approve(): Promise<void> {
    await this.allow.click()
  }

  async reject(): Promise<void> {
    await this.deny.click()
  }
}
