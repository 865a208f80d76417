/**
 * `check --write-back github`: store a rotated token set in the GitHub Actions secret it came from, through
 * GitHub's REST API ("Create or update a repository secret" / "... an environment secret":
 * https://docs.github.com/rest/actions/secrets). The value is encrypted with the repository's (or
 * environment's) public key as a libsodium sealed box, as GitHub documents, with libsodium-wrappers;
 * GitHub decrypts it with its private key. GH_TOKEN needs write access to secrets: a fine-grained token
 * with "Secrets: read and write" (repository secrets) or "Environments: read and write" (environment
 * secrets), or a classic token with `repo`. The value and the token are never printed.
 */
import sodium from 'libsodium-wrappers'
import { InfraError } from '../errors.js'
import type { Http } from './client.js'

export interface GithubRepo {
  /** https://api.github.com, or GITHUB_API_URL (GitHub Enterprise; loopback in tests). */
  readonly apiUrl: string
  /** owner/name (GITHUB_REPOSITORY). */
  readonly repository: string
  readonly token: string
}

export interface SecretRef {
  readonly name: string
  readonly environment?: string | undefined
}

const API_VERSION = '2022-11-28'

function base(repo: GithubRepo, ref: SecretRef): string {
  const [owner = '', name = ''] = repo.repository.split('/')
  const r = `${repo.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`
  return ref.environment === undefined ? `${r}/actions/secrets` : `${r}/environments/${encodeURIComponent(ref.environment)}/secrets`
}

function headers(repo: GithubRepo): Record<string, string> {
  return { authorization: `Bearer ${repo.token}`, accept: 'application/vnd.github+json', 'x-github-api-version': API_VERSION, 'user-agent': 'sf-oauth-harness' }
}

function refused(ref: SecretRef, step: string, status: number): InfraError {
  const where = ref.environment === undefined ? `repository secret ${ref.name}` : `secret ${ref.name} of environment ${ref.environment}`
  const why = status === 401 ? 'GH_TOKEN is not valid' : status === 403 || status === 404 ? 'GH_TOKEN may not write secrets there (needs "Secrets: read and write", or "Environments" for an environment secret), or the repository/environment does not exist' : `GitHub answered HTTP ${status}`
  return new InfraError('WRITE_BACK_FAILED', `${step} for ${where} failed (HTTP ${status}): ${why}; the new token is only in the local token file: store it in the secret before the next run`, { status })
}

/** Seal `value` for the public key (base64), as GitHub's docs do with libsodium's crypto_box_seal. */
export async function sealForGithub(value: string, publicKeyBase64: string): Promise<string> {
  await sodium.ready
  const key = sodium.from_base64(publicKeyBase64, sodium.base64_variants.ORIGINAL)
  return sodium.to_base64(sodium.crypto_box_seal(sodium.from_string(value), key), sodium.base64_variants.ORIGINAL)
}

/** Fetch the public key, seal `value`, and create or update the secret. */
export async function putActionsSecret(http: Http, repo: GithubRepo, ref: SecretRef, value: string): Promise<void> {
  const url = base(repo, ref)
  const keyRes = await http.send({ method: 'GET', url: `${url}/public-key`, headers: headers(repo), idempotent: true })
  if (keyRes.status !== 200) throw refused(ref, 'reading the public key', keyRes.status)
  let key: { key_id?: unknown; key?: unknown }
  try {
    key = JSON.parse(keyRes.body) as typeof key
  } catch {
    key = {}
  }
  if (typeof key.key_id !== 'string' || typeof key.key !== 'string') throw new InfraError('WRITE_BACK_FAILED', `reading the public key for ${ref.name}: GitHub's answer has no key_id/key; check GITHUB_API_URL`, { status: keyRes.status })
  let encrypted: string
  try {
    encrypted = await sealForGithub(value, key.key)
  } catch {
    throw new InfraError('WRITE_BACK_FAILED', `the public key for ${ref.name} is not a 32-byte base64 key: check GITHUB_API_URL`)
  }
  // The same value sealed again is the same secret: a PUT may be sent twice.
  const put = await http.send({ method: 'PUT', url: `${url}/${encodeURIComponent(ref.name)}`, headers: { ...headers(repo), 'content-type': 'application/json' }, body: JSON.stringify({ encrypted_value: encrypted, key_id: key.key_id }), idempotent: true })
  if (put.status !== 201 && put.status !== 204) throw refused(ref, 'storing the secret', put.status)
}
