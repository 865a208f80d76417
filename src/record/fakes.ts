/**
 * The known fakes: every credential-shaped value allowed in fixtures/ and in recorded transcripts.
 * Each is shaped like the real thing (so the harness's checks run on it unchanged) and says FAKE, so a
 * reader, the credential check and the artifact scan all recognise it. Numbered fakes (`fakeAccessToken(3)`)
 * are generated, so "a known fake" is exactly "what one of these functions returns".
 */

export const FAKE_MARK = 'FAKE'
/** 18-character org id (docs/salesforce-oauth.md §5.4: ids are 18 in the identity URL, 15 in session ids). */
export const FAKE_ORG_ID = '00DFAKE00000000EAA'
export const FAKE_ORG_ID_15 = FAKE_ORG_ID.slice(0, 15)
export const FAKE_CLIENT_ID = '3MVG9FAKE.CLIENT.ID.for.fixtures.and.transcripts.not.a.real.consumer.key.000000000000'
/** 64 characters, as a consumer secret. The key of every fixture and transcript `signature`. */
export const FAKE_CLIENT_SECRET = 'FAKECLIENTSECRET000000000000000000000000000000000000000000000000'
export const FAKE_USERNAME = 'fake.user@example.com'
export const FAKE_PASSWORD = 'FAKE-PASSWORD'
/** A login host and a My Domain that exist nowhere; fixtures and transcripts point here. */
export const FAKE_LOGIN_URL = 'https://fake-login.example.com'
export const FAKE_INSTANCE_URL = 'https://fake-org.my.example.com'
/** Header `{}` payload `{"FAKE":true}`: a JWT by shape, signed by nobody. */
export const FAKE_JWT = 'eyJGQUtFIjp0cnVlfQ.eyJGQUtFIjp0cnVlfQ.FAKE'

const pad = (n: number) => String(n).padStart(4, '0')

export function fakeUserId(n = 0): string {
  return `005FAKE${String(n).padStart(8, '0')}AAA`
}

/** `00D…!…` session id, 112 characters like a real one. */
export function fakeAccessToken(n: number): string {
  return `${FAKE_ORG_ID_15}!FAKE.ACCESS.TOKEN.${pad(n)}.`.padEnd(112, 'A')
}

/** `5Aep861…`, 87 characters like a real refresh token. */
export function fakeRefreshToken(n: number): string {
  return `5Aep861FAKE.REFRESH.TOKEN.${pad(n)}.`.padEnd(87, 'A')
}

/** `aPrx` + 70 characters + `==` (docs/salesforce-oauth.md §1.4). */
export function fakeCode(n: number): string {
  return `${`aPrxFAKE.AUTHORIZATION.CODE.${pad(n)}.`.padEnd(74, 'A')}==`
}

/** A PKCE verifier of 43 base64url characters. */
export function fakeVerifier(n: number): string {
  return `FAKE-CODE-VERIFIER-${pad(n)}-`.padEnd(43, 'A')
}

const NUMBERED: readonly [RegExp, (n: number) => string][] = [
  [/^00DFAKE00000000!FAKE\.ACCESS\.TOKEN\.(\d{4})\.A*$/, fakeAccessToken],
  [/^5Aep861FAKE\.REFRESH\.TOKEN\.(\d{4})\.A*$/, fakeRefreshToken],
  [/^aPrxFAKE\.AUTHORIZATION\.CODE\.(\d{4})\.A*==$/, fakeCode],
  [/^FAKE-CODE-VERIFIER-(\d{4})-A*$/, fakeVerifier],
  [/^005FAKE(\d{8})AAA$/, fakeUserId],
]

const CONSTANTS = new Set([FAKE_ORG_ID, FAKE_ORG_ID_15, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FAKE_USERNAME, FAKE_PASSWORD, FAKE_JWT])

/** Is this exactly one of the known fakes? (A real token with "FAKE" pasted in is not.) */
export function isKnownFake(value: string): boolean {
  if (CONSTANTS.has(value)) return true
  for (const [re, make] of NUMBERED) {
    const m = re.exec(value)
    if (m?.[1] !== undefined) return make(Number(m[1])) === value
  }
  return false
}
