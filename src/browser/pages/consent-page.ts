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

  /**
   * At the approval limit the page lists the approvals that Allow revokes (help "remoteaccess_request"; the
   * markup is not public): the items of a list introduced by text about revoking.
   */
  async revokedByApproval(): Promise<string[]> {
    return this.page
      .evaluate(() =>
        [...document.querySelectorAll('ul, ol')]
          .filter((list) => {
            const around = [list.previousElementSibling?.textContent ?? '', ...[...(list.parentElement?.childNodes ?? [])].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '')].join(' ')
            return /revok/i.test(around)
          })
          .flatMap((list) => [...list.querySelectorAll('li')].map((li) => li.textContent.replace(/\s+/g, ' ').trim().slice(0, 120)))
          .slice(0, 20),
      )
      .catch(() => [])
  }

  async reject(): Promise<void> {
    await this.deny.click()
  }
}
