/**
 * The `live` target: the org named by the configuration (.env or the environment, read by src/config.ts).
 * CI names the emulator run as its own process here, so the live path runs on every CI run; the harness
 * cannot tell. Steering (rotation on/off) uses the emulator's control API only when the login host has
 * one; a real org cannot be steered, so such scenarios skip, unless SF_LIVE_ROTATION=true|false says how
 * the org's app is set up.
 */
import { loadConfig, readEnv } from '../../src/config.js'
import { redactor } from '../../src/redact.js'
import { toFlowTarget, type FlowTarget } from '../../src/targets/flow-target.js'

export const LIVE_REQUIRED = ['SF_LOGIN_URL', 'SF_CLIENT_ID', 'SF_USERNAME', 'SF_PASSWORD'] as const

/** The variables still missing to name an org; empty when live tests can run. */
export function liveMissing(): string[] {
  const env = readEnv()
  return LIVE_REQUIRED.filter((k) => (env[k] ?? '').trim() === '')
}

export function liveSkipReason(): string {
  return `no org named: set ${liveMissing().join(', ')} (in .env or the environment) to run the live tests`
}

export function liveTarget(): { target: FlowTarget; timeoutMs: number; verification: { totpSecret: string | undefined; codeCommand: string | undefined }; browserStateFile: string | undefined } {
  const config = loadConfig()
  if (config.kind !== 'org') throw new Error(liveSkipReason())
  const target = toFlowTarget(config, config)
  redactor.add(target.password)
  redactor.add(target.clientSecret)
  return { target, timeoutMs: config.timeoutMs, verification: { totpSecret: config.totpSecret, codeCommand: config.verificationCodeCommand }, browserStateFile: config.browserStateFile }
}

/** Does the login host answer the emulator's control API? (A real org answers 404 or a login page.) */
async function hasControlApi(loginUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${loginUrl}/__emulator/state`, { signal: AbortSignal.timeout(3_000), redirect: 'manual' })
    const body = (await res.json()) as { counts?: unknown }
    return res.ok && typeof body.counts === 'object'
  } catch {
    return false
  }
}

/** Why the live target cannot be steered (a real org), or undefined when its control API answers. */
export async function liveSteerable(loginUrl: string): Promise<string | undefined> {
  return (await hasControlApi(loginUrl)) ? undefined : 'a real org cannot be steered: its login pages appear only when the org shows them (run against `sf-oauth emulator` to test each page)'
}

/** A call to the live emulator's control API (JSON); throws on a refusal, naming the action and the error. */
export async function liveControl(loginUrl: string, action: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${loginUrl}/__emulator/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const answer = (await res.json()) as Record<string, unknown>
  if (!res.ok) throw new Error(`emulator control API ${action}: HTTP ${res.status} ${String(answer.error)}`)
  return answer
}

/** Steering of Refresh Token Rotation for the live target; `restore()` undoes it after the scenario. */
export function liveRotation(loginUrl: string): { set: (on: boolean) => Promise<string | undefined>; restore: () => Promise<void> } {
  let steered = false
  const configure = async (on: boolean) => {
    const res = await fetch(`${loginUrl}/__emulator/configure`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ rotation: on }) })
    if (!res.ok) throw new Error(`emulator control API: HTTP ${res.status}`)
  }
  return {
    async set(on) {
      if (await hasControlApi(loginUrl)) {
        await configure(on)
        steered = true
        return undefined
      }
      const declared = readEnv().SF_LIVE_ROTATION?.trim().toLowerCase()
      // Undeclared: Salesforce's default (rotation off). A real org cannot be switched from here.
      const isOn = declared === 'true'
      if (declared === undefined && on) return 'a real org cannot be steered: set SF_LIVE_ROTATION=true if the app has Refresh Token Rotation on'
      return isOn === on ? undefined : `SF_LIVE_ROTATION=${declared ?? ''}: rotation is ${isOn ? 'on' : 'off'} for this app, and a real org cannot be switched`
    },
    async restore() {
      if (steered) await configure(false)
    },
  }
}
