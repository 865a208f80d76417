import { expect, runMain, test } from '../support/cli-main.js'
test('t', async ({ org, browser }) => {
  await runMain(['flow'], { env: org.env, browser })
  const t1 = Date.now()
  for (let i = 0; i < 6; i++) { await runMain(['flow'], { env: org.env, browser }) }
  console.log('6 cli flows took', Date.now() - t1)
  expect(1).toBe(1)
})
