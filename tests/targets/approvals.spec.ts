import { expect } from '@playwright/test'
import { test } from '../support/scrub.js'
import { approvalWarnings, MAX_APPROVALS_PER_USER_PER_APP } from '../../src/targets/approvals.js'
import { parseTargets } from '../../src/targets/load.js'
import { readFileSync } from 'node:fs'

const flows = (n: number, username = 'qa@acme.com', clientId = '3MVG9AppAppAppAppAppApp') => Array.from({ length: n }, (_, i) => ({ name: `t${i + 1}`, clientId, username }))

test('five approvals of one user for one app are fine, six are warned about', () => {
  expect(MAX_APPROVALS_PER_USER_PER_APP).toBe(5)
  expect(approvalWarnings(flows(5))).toEqual([])
  const [w, ...rest] = approvalWarnings(flows(6))
  expect(rest).toEqual([])
  expect(w).toMatchObject({ code: 'APPROVAL_LIMIT', username: 'qa@acme.com', approvals: 6, targets: ['t1', 't2', 't3', 't4', 't5', 't6'], clientId: '3MVG…(23 chars)' })
  expect(w?.message).toContain('silently revokes the oldest refresh token')
})

test('approvals are counted per user per app, and multiplied by the runs of the plan', () => {
  const mixed = [...flows(3, 'a@x.com'), ...flows(3, 'b@x.com'), ...flows(3, 'a@x.com', '3MVG9OtherOtherOtherOth')]
  expect(approvalWarnings(mixed)).toEqual([])
  expect(approvalWarnings(mixed, 2).map((w) => [w.username, w.approvals])).toEqual([['a@x.com', 6], ['b@x.com', 6], ['a@x.com', 6]])
  expect(approvalWarnings(flows(1), 6)[0]?.message).toMatch(/^6 approvals for user qa@acme\.com .*\(t1, × 6 runs\)/)
})

test('the nightly workflow\'s targets file is valid and names only environment variables', () => {
  const data = JSON.parse(readFileSync('.github/nightly-targets.json', 'utf8')) as unknown
  const env = Object.fromEntries(['PROD', 'UAT'].flatMap((p) => ['CLIENT_ID', 'CLIENT_SECRET', 'USERNAME', 'PASSWORD'].map((k) => [`SF_${p}_${k}`, 'x'])))
  const file = parseTargets(data, env, '/repo')
  expect(file.targets.map((t) => [t.name, t.kind, t.username !== undefined && t.password !== undefined])).toEqual([['prod', 'production', true], ['uat', 'sandbox', true]])
  // Every variable it names is passed from the secret store in the workflow.
  const wf = readFileSync('.github/workflows/nightly.yml', 'utf8')
  // A targets file reads only SF_* variables; the repository's secrets keep their names.
  for (const name of Object.keys(env)) expect(wf, name).toContain(`${name}: \${{ secrets.${name.slice(3)} }}`)
})
