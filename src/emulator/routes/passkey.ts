/**
 * Passkeys (WebAuthn) on the emulator: "Create a Passkey" (`/_ui/identity/webauthn/AddPasskeyUi`), both
 * as the registration prompt of a held login and as the user's own page in a session, and "Verify Your
 * Identity" with "Log In With a Passkey". Every check a relying party makes is made (../webauthn.ts):
 * the challenge is single-use and bound to this user and purpose, origin and RP ID come from the URL the
 * browser used (so an IP address, which cannot be an RP ID, fails in the browser already).
 */
import { randomBytes } from 'node:crypto'
import type { Emulator, Route } from '../context.js'
import { html, redirect, type Ctx } from '../http-util.js'
import { passkeyEnrolPage, passkeyVerifyPage } from '../login-pages.js'
import { verifyAssertion, verifyRegistration, WebAuthnError } from '../webauthn.js'
import { heldLogin, release } from './after-login.js'
import { safeStart } from './login.js'

function newChallenge(em: Emulator, username: string, purpose: 'create' | 'get'): string {
  const challenge = randomBytes(32).toString('base64url')
  em.state.challenges.set(challenge, { username, purpose })
  return challenge
}

/** The challenge inside clientDataJSON, taken (single-use) if it was issued to this user for this purpose. */
function takeChallenge(em: Emulator, clientDataJSON: Buffer, username: string, purpose: 'create' | 'get'): Buffer {
  let challenge = ''
  try {
    const value = (JSON.parse(clientDataJSON.toString('utf8')) as { challenge?: unknown }).challenge
    challenge = typeof value === 'string' ? value : ''
  } catch {
    throw new WebAuthnError('clientDataJSON is not JSON')
  }
  const issued = em.state.challenges.get(challenge)
  em.state.challenges.delete(challenge)
  if (issued === undefined || issued.username !== username || issued.purpose !== purpose) throw new WebAuthnError('challenge unknown, used or expired')
  return Buffer.from(challenge, 'base64url')
}

function expectedOf(ctx: Ctx) {
  return { origin: ctx.base, rpId: new URL(ctx.base).hostname }
}

/** Who enrols: the held login (registration prompt) or the session's user (their own page). */
function enrollee(ctx: Ctx, em: Emulator): { username: string; held: ReturnType<typeof heldLogin> } | undefined {
  const held = heldLogin(ctx, em)
  if (held) return { username: held.login.username, held }
  const username = em.state.sessions.get(ctx.cookies.sid ?? '')
  return username === undefined ? undefined : { username, held: undefined }
}

function enrolPage(ctx: Ctx, em: Emulator, username: string, retUrl: string, error?: string): void {
  const user = em.state.users.get(username)
  const exclude = (em.state.passkeys.get(username) ?? []).map((p) => p.id.toString('base64url'))
  html(ctx, 200, passkeyEnrolPage({ challenge: newChallenge(em, username, 'create'), userId: Buffer.from(user?.userId ?? username).toString('base64url'), username, exclude, retUrl, ...(error === undefined ? {} : { error }) }))
}

export const passkeyEnrolGet: Route = (ctx, em) => {
  const who = enrollee(ctx, em)
  if (!who) { redirect(ctx, `/?ec=302&startURL=${encodeURIComponent(ctx.url.pathname + ctx.url.search)}`); return; }
  enrolPage(ctx, em, who.username, safeStart(ctx.url.searchParams.get('retURL'), ctx.base))
}

export const passkeyEnrolPost: Route = async (ctx, em) => {
  const who = enrollee(ctx, em)
  if (!who) { redirect(ctx, '/'); return; }
  const form = new URLSearchParams(await ctx.body())
  const retUrl = safeStart(form.get('retURL'), ctx.base)
  try {
    if (form.get('failure')) throw new WebAuthnError(`the browser refused to create a passkey (${form.get('failure')?.slice(0, 60) ?? ''}); passkeys need http://localhost or https, never an IP address`)
    const clientDataJSON = Buffer.from(form.get('clientDataJSON') ?? '', 'base64url')
    const challenge = takeChallenge(em, clientDataJSON, who.username, 'create')
    const cred = verifyRegistration({ clientDataJSON, attestationObject: Buffer.from(form.get('attestationObject') ?? '', 'base64url') }, { ...expectedOf(ctx), challenge })
    const list = em.state.passkeys.get(who.username) ?? []
    if (list.some((p) => p.id.equals(cred.id))) throw new WebAuthnError('this passkey is registered already')
    em.state.passkeys.set(who.username, [...list, { id: cred.id, publicKey: cred.publicKey, signCount: cred.signCount }])
  } catch (err) {
    if (!(err instanceof WebAuthnError)) throw err
    enrolPage(ctx, em, who.username, retUrl, `We couldn't register your passkey: ${err.message}.`)
    return
  }
  if (who.held) { release(ctx, em, who.held.hid, who.held.login, 'register'); return; }
  redirect(ctx, retUrl)
}

function verifyPage(ctx: Ctx, em: Emulator, username: string, error?: string): void {
  const allow = (em.state.passkeys.get(username) ?? []).map((p) => p.id.toString('base64url'))
  html(ctx, 200, passkeyVerifyPage({ challenge: newChallenge(em, username, 'get'), allow, ...(error === undefined ? {} : { error }) }))
}

export const passkeyVerifyGet: Route = (ctx, em) => {
  const held = heldLogin(ctx, em)
  if (!held) { redirect(ctx, '/'); return; }
  verifyPage(ctx, em, held.login.username)
}

export const passkeyVerifyPost: Route = async (ctx, em) => {
  const held = heldLogin(ctx, em)
  if (!held) { redirect(ctx, '/'); return; }
  const form = new URLSearchParams(await ctx.body())
  const username = held.login.username
  try {
    if (form.get('failure')) throw new WebAuthnError(`the browser gave no passkey (${form.get('failure')?.slice(0, 60) ?? ''})`)
    const clientDataJSON = Buffer.from(form.get('clientDataJSON') ?? '', 'base64url')
    const challenge = takeChallenge(em, clientDataJSON, username, 'get')
    const id = Buffer.from(form.get('credentialId') ?? '', 'base64url')
    const stored = (em.state.passkeys.get(username) ?? []).find((p) => p.id.equals(id))
    if (stored === undefined) throw new WebAuthnError('this passkey is not registered to the user')
    const { signCount } = verifyAssertion(
      { clientDataJSON, authenticatorData: Buffer.from(form.get('authenticatorData') ?? '', 'base64url'), signature: Buffer.from(form.get('signature') ?? '', 'base64url') },
      stored,
      { ...expectedOf(ctx), challenge },
    )
    stored.signCount = signCount
  } catch (err) {
    if (!(err instanceof WebAuthnError)) throw err
    verifyPage(ctx, em, username, `We couldn't verify your identity: ${err.message}.`)
    return
  }
  release(ctx, em, held.hid, held.login, 'verify')
}
