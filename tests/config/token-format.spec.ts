/** SF_TOKEN_FORMAT: json by default; xml and urlencoded accepted; anything else is reported with the rest. */
import { expect } from '@playwright/test'
import { loadConfig } from '../../src/config.js'
import { toFlowTarget } from '../../src/targets/flow-target.js'
import { codeOf } from '../support/properties.js'
import { test } from '../support/scrub.js'

test('SF_TOKEN_FORMAT defaults to json, takes xml and urlencoded into the flow target, refuses anything else', () => {
  expect(loadConfig({}).tokenFormat).toBe('json')
  const xml = loadConfig({ SF_TOKEN_FORMAT: 'XML' })
  expect(xml.tokenFormat).toBe('xml')
  expect(toFlowTarget({ loginUrl: 'https://login.salesforce.com', clientId: 'c', clientSecret: undefined, username: 'u', password: 'p' }, xml).tokenFormat).toBe('xml')
  expect(codeOf(() => loadConfig({ SF_TOKEN_FORMAT: 'yaml' }))).toBe('CONFIG_INVALID')
})
