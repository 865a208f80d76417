/**
 * Run only by the scrub proof's nested run (the main config matches no `*.run.ts`). A careless test,
 * on purpose: it prints, titles, attaches and finally fails on raw secrets, so every channel a reporter
 * reads carries one unless the worker keeps them in. It must fail (the worker then tears down before
 * Playwright writes its trace, the ordering the scrub has to survive).
 */
import { expect, test } from '../../support/test.js'

test('careless: prints, titles, attaches and fails on raw tokens', async ({ flow }) => {
  const { tokens } = await flow.run()
  console.log(`access token ${tokens.accessToken}`)
  process.stderr.write(`refresh token ${tokens.refreshToken ?? ''} password ${flow.target.password}\n`)
  await test.step(`refresh with ${tokens.refreshToken ?? ''}`, () => Promise.resolve())
  await test.info().attach('tokens', { body: JSON.stringify({ ...tokens, secret: flow.target.clientSecret }), contentType: 'application/json' })
  await test.info().attach('tokens.txt', { body: `${tokens.accessToken} ${flow.target.clientSecret}` })
  expect(tokens.accessToken, `client secret ${flow.target.clientSecret}`).toBe(flow.target.password)
})
