/** The README's consumer example is the file the consumer tests run (tests/heavy/consumer/), word for word. */
import { readFileSync } from 'node:fs'
import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'

test('README "Use it in your own Playwright suite" shows the consumer spec the heavy project runs', () => {
  const readme = readFileSync('README.md', 'utf8')
  const spec = readFileSync('tests/heavy/consumer/salesforce.test.ts', 'utf8')
  const first = spec.split(/\n\n(?=test\()/).slice(0, 2).join('\n\n').trim()
  expect(readme).toContain('## Use it in your own Playwright suite')
  expect(readme).toContain('## GitHub Action')
  expect(readme).toContain(`\`\`\`ts\n${first}\n\`\`\``)
  expect(readme.split('\n').length).toBeLessThanOrEqual(200)
})
