/**
 * The pages a real org shows between login and the callback (docs/login-pages.md), with the markup
 * public automation code shows for them. Where that markup is thinly sourced the page keeps the parts
 * that are sure (path, heading) and the ids scripts use, so the harness must recognise it by several signals.
 */
import { escapeHtml as e } from './http-util.js'
import { page } from './views.js'

export const CHANGE_PASSWORD_PATH = '/_ui/system/security/ChangePassword'
export const PHONE_PATH = '/_ui/identity/phone/AddPhoneNumber'
export const MAINTENANCE_PATH = '/msg/maintenanceandavailable.jsp'
/** An org's own login flow: a Visualforce page of the org's choosing (this name is the emulator's). */
export const ORG_LOGIN_FLOW_PATH = '/apex/TermsOfUseLoginFlow'
/** The registration prompt's list; its real path is not public (the emulator's own). */
export const CHOOSE_METHOD_PATH = '/_ui/identity/verification/method/ChooseVerificationMethodUi'
/** "Connect an Authenticator App"; its real path is not public (the emulator's own). */
export const TOTP_REGISTER_PATH = '/_ui/identity/totp/AddTotpUi'
export const PASSKEY_ENROL_PATH = '/_ui/identity/webauthn/AddPasskeyUi'
const METHOD = '/_ui/identity/verification/method'
export const SMS_PATH = `${METHOD}/SmsVerificationFinishUi/e`
export const PUSH_PATH = `${METHOD}/ToopherVerificationFinishUi/e`
export const LIGHTNING_PATH = `${METHOD}/LLVerificationFinishUi/e`
export const PASSKEY_VERIFY_PATH = `${METHOD}/UnifiedPasskeyVerificationUi`

const q = (v: string) => encodeURIComponent(v)
const errorDiv = (error: string | undefined) => (error === undefined ? '' : `<div id="error" class="loginError" role="alert">${e(error)}</div>`)

/** Forced change: no #cancel-button (it exists only when the change is optional). */
export function changePasswordPage(retUrl: string, error?: string): string {
  return page('Change Your Password | Salesforce', `<h2 id="header">Change Your Password</h2><p>Your password has expired. Enter a new password.</p><form id="editPage" method="post" action="${CHANGE_PASSWORD_PATH}">${errorDiv(error)}<input type="hidden" name="retURL" value="${e(retUrl)}"><label for="currentpassword">Current Password</label><input class="input" type="password" id="currentpassword" name="currentpassword"><label for="newpassword">New Password</label><input class="input" type="password" id="newpassword" name="newpassword"><label for="confirmpassword">Confirm New Password</label><input class="input" type="password" id="confirmpassword" name="confirmpassword"><label for="question">Security Question</label><select id="question" name="question"><option value="1">In what city were you born?</option></select><label for="answer">Answer</label><input class="input" type="text" id="answer" name="answer"><button class="button" type="submit" name="save" id="password-button">Change Password</button></form>`)
}

export function phonePage(retUrl: string): string {
  return page('Register Your Mobile Phone | Salesforce', `<h2 id="header">Register Your Mobile Phone</h2><p>Register your mobile phone to verify your identity by text message.</p><form id="editPage" method="post" action="${PHONE_PATH}"><input type="hidden" name="_CONFIRMATIONTOKEN" value="emulator"><input type="hidden" name="retURL" value="${e(retUrl)}"><input type="hidden" name="cancelURL" value="${e(retUrl)}"><label for="c">Country</label><select id="c" name="c"><option value="US">United States (+1)</option></select><label for="p">Mobile Phone</label><input class="input" type="tel" id="p" name="p"><input class="button" type="submit" name="save" value="Register"></form><p><a href="${e(retUrl)}">Remind Me Later</a></p><p><a href="${PHONE_PATH}?retURL=${q(retUrl)}&amp;d=m&amp;n=true">I Don't Want to Register My Phone</a></p>`)
}

export function maintenancePage(start: number, end: number): string {
  const t = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16)
  return page('Salesforce is down for maintenance', `<h2>Salesforce is down for maintenance</h2><p>Scheduled maintenance from ${t(start)} to ${t(end)} UTC. Read-only access may be available.</p>`)
}

export function orgLoginFlowPage(): string {
  return page('Terms of Use', `<h1>Terms of Use</h1><form id="j_id0:j_id2" name="j_id0:j_id2" method="post" action="${ORG_LOGIN_FLOW_PATH}"><p>Accept the terms of use of this org to continue.</p><label><input type="checkbox" id="j_id0:j_id2:accept" name="j_id0:j_id2:accept"> I accept</label><input class="button" type="submit" name="j_id0:j_id2:next" value="Next"></form>`)
}

export function chooseMethodPage(): string {
  return page('Choose a Verification Method | Salesforce', `<h2 id="header">Choose a Verification Method</h2><p>Your org requires multi-factor authentication. Choose how to verify your identity.</p><ul id="methods"><li><a href="${TOTP_REGISTER_PATH}">Use verification codes from an authenticator app</a></li><li><a href="${PASSKEY_ENROL_PATH}">Use a built-in authenticator (passkey)</a></li></ul>`)
}

export function totpRegisterPage(secret: string, error?: string): string {
  return page('Connect an Authenticator App | Salesforce', `<h2 id="header">Connect an Authenticator App</h2><p>Scan the QR code with your authenticator app.</p><details><summary>I Can't Scan the QR Code</summary><code id="secret">${e(secret)}</code></details><form id="editPage" method="post" action="${TOTP_REGISTER_PATH}">${errorDiv(error)}<label for="t">Verification Code</label><input class="input" type="text" id="t" name="t" maxlength="6" autocomplete="off"><input class="button" type="submit" id="save" name="save" value="Connect"></form><p><a id="chRegL" href="${CHOOSE_METHOD_PATH}">Choose Another Verification Method</a></p>`)
}

/** JSON inside <script>: "<" escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c')
}

const B64 = 'const b=s=>Uint8Array.from(atob(s.replace(/-/g,"+").replace(/_/g,"/")),c=>c.charCodeAt(0));const u=x=>btoa(String.fromCharCode(...new Uint8Array(x))).replace(/\\+/g,"-").replace(/\\//g,"_").replace(/=+$/,"");'

/** "Create a Passkey": navigator.credentials.create, then the attestation posted as a form. */
export function passkeyEnrolPage(o: { challenge: string; userId: string; username: string; exclude: readonly string[]; retUrl: string; error?: string }): string {
  const options = scriptJson({ challenge: o.challenge, userId: o.userId, name: o.username, exclude: o.exclude })
  const script = `${B64}const o=JSON.parse(document.getElementById("wa-options").textContent);document.getElementById("create-passkey").addEventListener("click",async ev=>{ev.preventDefault();const f=document.getElementById("passkeyForm");try{const c=await navigator.credentials.create({publicKey:{rp:{id:location.hostname,name:"Salesforce"},user:{id:b(o.userId),name:o.name,displayName:o.name},challenge:b(o.challenge),pubKeyCredParams:[{type:"public-key",alg:-7}],attestation:"direct",timeout:60000,authenticatorSelection:{residentKey:"preferred",userVerification:"preferred"},excludeCredentials:o.exclude.map(id=>({type:"public-key",id:b(id)}))}});f.clientDataJSON.value=u(c.response.clientDataJSON);f.attestationObject.value=u(c.response.attestationObject)}catch(err){f.failure.value=String(err&&err.name||err)}f.submit()})`
  return page('Create a Passkey | Salesforce', `<h2 id="header">Create a Passkey</h2><p>Use this device's built-in authenticator to log in to Salesforce.</p>${errorDiv(o.error)}<form id="passkeyForm" method="post" action="${PASSKEY_ENROL_PATH}"><input type="hidden" name="retURL" value="${e(o.retUrl)}"><input type="hidden" name="clientDataJSON"><input type="hidden" name="attestationObject"><input type="hidden" name="failure"><button class="button" type="submit" id="create-passkey">Create a Passkey</button></form><p><a id="chRegL" href="${CHOOSE_METHOD_PATH}">Choose another verification method</a></p><script type="application/json" id="wa-options">${options}</script><script>${script}</script>`)
}

/** "Verify Your Identity" with "Log In With a Passkey": navigator.credentials.get, then the assertion posted. */
export function passkeyVerifyPage(o: { challenge: string; allow: readonly string[]; error?: string }): string {
  const options = scriptJson({ challenge: o.challenge, allow: o.allow })
  const script = `${B64}const o=JSON.parse(document.getElementById("wa-options").textContent);document.getElementById("passkey-login").addEventListener("click",async ev=>{ev.preventDefault();const f=document.getElementById("passkeyForm");try{const c=await navigator.credentials.get({publicKey:{rpId:location.hostname,challenge:b(o.challenge),timeout:60000,userVerification:"preferred",allowCredentials:o.allow.map(id=>({type:"public-key",id:b(id)}))}});f.credentialId.value=u(c.rawId);f.clientDataJSON.value=u(c.response.clientDataJSON);f.authenticatorData.value=u(c.response.authenticatorData);f.signature.value=u(c.response.signature)}catch(err){f.failure.value=String(err&&err.name||err)}f.submit()})`
  return page('Verify Your Identity | Salesforce', `<h2 id="header">Verify Your Identity</h2><p>Use your passkey or security key to verify your identity.</p>${errorDiv(o.error)}<form id="passkeyForm" method="post" action="${PASSKEY_VERIFY_PATH}"><input type="hidden" name="credentialId"><input type="hidden" name="clientDataJSON"><input type="hidden" name="authenticatorData"><input type="hidden" name="signature"><input type="hidden" name="failure"><button class="button" type="submit" id="passkey-login">Log In With a Passkey</button></form><script type="application/json" id="wa-options">${options}</script><script>${script}</script>`)
}

/** SMS, Salesforce Authenticator push, Lightning Login: the pages a headless run cannot answer. */
export function otherVerificationPage(method: 'sms' | 'push' | 'lightning', username: string, error?: string): string {
  const body =
    method === 'sms'
      ? `<p>We sent a code to the mobile phone of ${e(username)}.</p><form id="editPage" method="post" action="${SMS_PATH}">${errorDiv(error)}<label for="smc">Verification Code</label><input class="input" type="text" id="smc" name="smc" maxlength="6" autocomplete="off"><label><input type="checkbox" id="RememberDeviceCheckbox" name="remember"> Don't ask again on this browser</label><input class="button" type="submit" id="save" name="save" value="Verify"></form>`
      : method === 'push'
        ? '<p>Approve the notification we sent to Salesforce Authenticator on your mobile device.</p><p class="waiting">Waiting for approval…</p>'
        : '<p>Approve this login in Salesforce Authenticator (Lightning Login).</p><p class="waiting">Waiting for approval…</p>'
  return page('Verify Your Identity | Salesforce', `<h2 id="header">Verify Your Identity</h2>${body}`)
}

/** "Choose a Username": the usernames this browser remembers (`#idlist li a`), and a way to another one. */
export function chooserPage(startUrl: string, usernames: readonly string[]): string {
  const items = usernames.map((u) => `<li><a href="/?startURL=${q(startUrl)}&amp;un=${q(u)}">${e(u)}</a></li>`).join('')
  return page('Login | Salesforce', `<h2>Choose a Username</h2><ul id="idlist">${items}</ul><a id="use_new_identity" href="/?startURL=${q(startUrl)}&amp;nc=1">Log In with a Different Username</a>`)
}

/** The card of one remembered username: password only, with the way back to the chooser and "Not you?". */
export function cardPage(startUrl: string, username: string, error?: string): string {
  return page('Login | Salesforce', `<div id="theloginform"><form name="login" id="login_form" method="post" action="/">${errorDiv(error)}<div id="idcard-identity">${e(username)}</div><a id="hint_back_chooser" href="/?startURL=${q(startUrl)}">Switch username</a> <a id="clear_link" href="/?startURL=${q(startUrl)}&amp;nc=1">Not you?</a><input type="hidden" name="username" value="${e(username)}"><label for="password">Password</label><input class="input" type="password" id="password" name="pw" autocomplete="current-password"><input type="hidden" name="startURL" value="${e(startUrl)}"><input class="button" type="submit" id="Login" name="Login" value="Log In"></form></div>`)
}

/** "Log in with …" buttons of single sign-on providers, which the harness must not take. */
export function ssoButtons(startUrl: string): string {
  return `<div id="idp_section_buttons"><a class="button" href="/saml/unknown-idp?startURL=${q(startUrl)}">Log In with Example SSO</a></div>`
}
