/* global fetch, URLSearchParams -- Node 22 globals: this script runs as a child under Node >= 22 */
// Run under Node >= 22 by tests/heavy/sf-core.spec.ts: @salesforce/core 9, unchanged, logs in with an sfdx
// auth URL (read from stdin, never argv), reads the identity, then after the access token is revoked
// queries the REST API: jsforce must get 401 INVALID_SESSION_ID, refresh, and retry. (Not identity()
// again: jsforce then calls the cached identity URL, which answers a dead token 403 Bad_OAuth_Token, as
// Salesforce's does, and jsforce refreshes only on 401.)
// Prints one JSON line of non-secret facts.
import { AuthInfo, Connection } from '@salesforce/core'

const chunks = []
for await (const c of process.stdin) chunks.push(c)
const sfdxUrl = Buffer.concat(chunks).toString('utf8').trim()

const options = AuthInfo.parseSfdxAuthUrl(sfdxUrl)
const authInfo = await AuthInfo.create({ oauth2Options: options })
const fields = authInfo.getFields()
const conn = await Connection.create({ authInfo })
const identity = await conn.identity()
const before = conn.accessToken
// Revoke the access token at the login host (RFC 7009): the next REST call meets a dead session.
const revoked = await fetch(`${fields.loginUrl}/services/oauth2/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: before ?? '' }) })
const org = await conn.query('SELECT Name, IsSandbox FROM Organization')
const again = await conn.identity()
// What AuthInfo's Dev Hub probe met (determineIfDevHub: an error means "not a Dev Hub"), asked again here to see its code.
const scratchOrgInfoError = await conn.query('SELECT Id FROM ScratchOrgInfo LIMIT 1').then(() => null, (err) => err.errorCode ?? err.name ?? 'unknown')
console.log(JSON.stringify({
  username: fields.username,
  orgId: fields.orgId,
  instanceUrl: fields.instanceUrl,
  isDevHub: fields.isDevHub ?? null,
  identity: { username: identity.username, user_id: identity.user_id, organization_id: identity.organization_id },
  revokeStatus: revoked.status,
  refreshedAfterRevoke: conn.accessToken !== before,
  orgName: org.records[0]?.Name ?? null,
  againUsername: again.username,
  scratchOrgInfoError,
}))
