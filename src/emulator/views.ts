/**
 * Pages with Salesforce's element ids and names (docs/salesforce-oauth.md §6), so the same page objects drive the
 * emulator and login.salesforce.com. Light on purpose: no external resources.
 */
import { escapeHtml as e } from './http-util.js'

const STYLE = 'body{font-family:sans-serif;background:#f3f2f2;margin:0}#content{max-width:380px;margin:60px auto;background:#fff;padding:24px;border-radius:4px}input.input{display:block;width:100%;margin:8px 0 16px;padding:8px;box-sizing:border-box}.button{padding:10px 16px}.loginError{color:#c23934;margin-bottom:12px}'

export function page(title: string, body: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${e(title)}</title><style>${STYLE}</style></head><body><div id="content">${body}</div></body></html>`
}

const LOGIN_ERROR = "Please check your username and password. If you still can't log in, contact your Salesforce administrator."

export function loginPage(o: { startUrl: string; step: 'one-step' | 'username' | 'password'; username?: string; error?: string; display?: string }): string {
  const err = o.error === undefined ? '' : `<div id="error" class="loginError" role="alert">${e(o.error)}</div>`
  const user =
    o.step === 'password'
      ? `<div id="idcard">${e(o.username ?? '')}</div><input type="hidden" name="username" id="username_hidden" value="${e(o.username ?? '')}">`
      : `<label for="username">Username</label><input class="input r4 wide mb16 mt8 username" type="email" id="username" name="username" value="${e(o.username ?? '')}" autocomplete="username">`
  const pass =
    o.step === 'username'
      ? ''
      : `<label for="password">Password</label><input class="input r4 wide mb16 mt8 password" type="password" id="password" name="pw" autocomplete="current-password">`
  return page('Login | Salesforce', `<div id="theloginform"><form name="login" id="login_form" method="post" action="/">${err}${user}${pass}<input type="hidden" name="startURL" value="${e(o.startUrl)}"><input type="hidden" name="loginType" value="">${o.display === undefined ? '' : `<input type="hidden" name="display" value="${e(o.display)}">`}<input class="button r4 wide primary" type="submit" id="Login" name="Login" value="Log In"></form></div>`)
}

export function loginErrorText(): string {
  return LOGIN_ERROR
}

export function consentPage(o: { appName: string; scopes: readonly string[]; source: string; username: string; revoking?: readonly string[] }): string {
  const items = o.scopes.map((s) => `<li>${e(s)}</li>`).join('')
  // At the approval limit, the page lists the approvals that Allow will revoke (help "remoteaccess_request").
  const revoking = o.revoking?.length ? `<div id="approvalLimit"><p>You've reached the limit of approvals for this app. Allowing access revokes these approvals:</p><ul>${o.revoking.map((r) => `<li>${e(r)}</li>`).join('')}</ul></div>` : ''
  return page('Allow Access? | Salesforce', `<h2 id="header">Allow Access?</h2><p>${e(o.appName)} is asking to:</p><ul id="scopes">${items}</ul>${revoking}<p>Logged in as ${e(o.username)}</p><form id="oauthForm" method="post" action="/setup/secur/RemoteAccessAuthorizationPage.apexp"><input type="hidden" name="source" value="${e(o.source)}"><input type="submit" class="button" id="oaapprove" name="oaapprove" value=" Allow "> <input type="submit" class="button" id="oadeny" name="oadeny" value=" Deny "></form>`)
}

export function verificationPage(method: 'email' | 'totp', action: string, username: string, error?: string): string {
  const err = error === undefined ? '' : `<div id="error" class="loginError" role="alert">${e(error)}</div>`
  const input =
    method === 'email'
      ? `<p>We sent a verification code to ${e(username)}'s email address.</p><label for="emc">Verification Code</label><input class="input" type="text" id="emc" name="emc" maxlength="6" autocomplete="off">`
      : `<p>Enter the code from your authenticator app.</p><label for="tc">Verification Code</label><input class="input" type="text" id="tc" name="tc" maxlength="6" autocomplete="off">`
  return page('Verify Your Identity | Salesforce', `<h2 id="header">Verify Your Identity</h2><form id="editPage" method="post" action="${e(action)}">${err}${input}<label><input type="checkbox" id="RememberDeviceCheckbox" name="remember"> Don't ask again on this browser</label><input class="button" type="submit" id="save" name="save" value="Verify"></form>`)
}

export function errorPage(error: string, description: string): string {
  return page('Error | Salesforce', `<h2>OAuth Error</h2><p>We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p><p id="oauthError">${e(error)} : ${e(description)}</p>`)
}

export function notFoundPage(): string {
  return page('URL No Longer Exists', '<h2>URL No Longer Exists</h2>')
}

/** A page the harness has no page object for (behaviour.unknownInterstitial): none of the login, consent or verification ids. */
export function unknownInterstitialPage(next: string): string {
  return page('Something New | Salesforce', `<h2 id="interstitialHeader">Something new is here</h2><p>Salesforce has a new step for you.</p><a id="interstitialContinue" class="button" href="${e(next)}">Continue</a>`)
}
