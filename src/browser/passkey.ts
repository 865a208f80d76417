/**
 * A passkey in the browser: one Chrome DevTools Protocol virtual authenticator on the page
 * (https://chromedevtools.github.io/devtools-protocol/tot/WebAuthn/): CTAP2, internal transport (a
 * platform authenticator, as a built-in passkey is), user verification on and verified, presence
 * simulated, so `navigator.credentials.get/create` answer without a human. Exactly one per page: a
 * second, empty one would answer `get` first and fail it (NotAllowedError).
 */
import type { CDPSession, Page } from 'playwright'
import { BrowserFlowError } from '../errors.js'

/** CDP `WebAuthn.Credential`: binary fields in standard base64. */
export interface WebAuthnCredential {
  readonly credentialId: string
  readonly isResidentCredential: boolean
  readonly rpId: string
  /** PKCS#8 DER of an ECDSA P-256 private key, base64. */
  readonly privateKey: string
  readonly userHandle?: string | undefined
  readonly signCount: number
}

export interface VirtualAuthenticator {
  /** The credentials it holds now (sign counts updated by each assertion). */
  credentials(): Promise<WebAuthnCredential[]>
  remove(): Promise<void>
}

export async function addVirtualAuthenticator(page: Page, credential?: WebAuthnCredential): Promise<VirtualAuthenticator> {
  let cdp: CDPSession
  try {
    cdp = await page.context().newCDPSession(page)
  } catch {
    throw new BrowserFlowError('PASSKEY_ENROL_FAILED', 'passkeys need Chromium (a DevTools Protocol virtual authenticator): run npm run setup, or leave SF_PASSKEY_FILE unset')
  }
  await cdp.send('WebAuthn.enable', { enableUI: false })
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  })
  if (credential !== undefined) {
    await cdp.send('WebAuthn.addCredential', {
      authenticatorId,
      credential: {
        credentialId: credential.credentialId,
        isResidentCredential: credential.isResidentCredential,
        rpId: credential.rpId,
        privateKey: credential.privateKey,
        signCount: credential.signCount,
        ...(credential.userHandle === undefined ? {} : { userHandle: credential.userHandle }),
      },
    })
  }
  return {
    async credentials() {
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
      return credentials.map((c) => ({
        credentialId: c.credentialId,
        isResidentCredential: c.isResidentCredential,
        rpId: c.rpId ?? '',
        privateKey: c.privateKey,
        ...(c.userHandle === undefined ? {} : { userHandle: c.userHandle }),
        signCount: c.signCount,
      }))
    },
    async remove() {
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId }).catch(() => undefined)
      await cdp.detach().catch(() => undefined)
    },
  }
}
