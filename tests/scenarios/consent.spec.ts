/** Consent (docs/salesforce-oauth.md §6.3): skipped when approved or pre-authorized; prompt=consent and prompt=login force the pages. */
import { expect, test } from '../support/test.js'

const names = (r: { steps: readonly { name: string }[] }) => r.steps.map((s) => s.name)

test('already approved, still logged in: no login page, no consent page', { tag: '@browser' }, async ({ flow }) => {
  expect(names(await flow.run())).toEqual(expect.arrayContaining(['login', 'consent']))
  const second = names(await flow.run())
  expect(second).not.toContain('login')
  expect(second).not.toContain('consent')
})

test('an app whose admin pre-authorized users: login, but no consent page', { tag: '@browser' }, async ({ flow, emulator }) => {
  emulator.app.configure({ preAuthorized: true })
  const steps = names(await flow.run())
  expect(steps).toContain('login')
  expect(steps).not.toContain('consent')
})

test('prompt=consent shows "Allow Access?" again; prompt=login shows the login page again', { tag: '@browser' }, async ({ flow }) => {
  await flow.run()
  expect(names(await flow.run({}, { prompt: 'consent' }))).toContain('consent')
  const forced = names(await flow.run({}, { prompt: 'login' }))
  expect(forced).toContain('login')
  expect(forced).not.toContain('consent')
})
