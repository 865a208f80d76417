import type { Locator } from 'playwright'

/**
 * Types a secret without `locator.fill()`: Playwright titles fill steps `Fill "<value>"` in reports and
 * traces (playwright#35848, #36800). Setting the value in the page leaves only "Evaluate" in the step list.
 */
export async function fillSecret(locator: Locator, value: string): Promise<void> {
  await locator.evaluate((el, v) => {
    const input = el as HTMLInputElement
    input.focus()
    input.value = v
    input.dispatchEvent(new Event('input', { bubbles: true }))
    input.dispatchEvent(new Event('change', { bubbles: true }))
  }, value)
}
