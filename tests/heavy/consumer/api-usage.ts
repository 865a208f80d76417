// A consumer's TypeScript file: the library API under `strict`.
import { checkTargets, ERR, HarnessError, loadConfig, runWebServerFlow, startEmulator, toFlowTarget, emulatorLogin, type CheckTargetsResult, type ErrorCode, type FlowResult, type SalesforceEmulator } from 'sf-oauth-harness'

export async function tokensFromEmulator(): Promise<FlowResult> {
  const emulator: SalesforceEmulator = await startEmulator()
  const config = loadConfig({})
  const seed = { app: { clientId: emulator.clientId, clientSecret: emulator.clientSecret }, user: { username: emulator.username, password: emulator.password } }
  try {
    return await runWebServerFlow({ target: toFlowTarget(emulatorLogin(emulator.url, seed), config), timeoutMs: config.timeoutMs })
  } catch (err) {
    if (err instanceof HarnessError && err.code === ERR.BROWSER_NOT_FOUND) throw new Error('run npx sf-oauth setup')
    throw err
  } finally {
    await emulator.close()
  }
}

/** A nightly job's check of a targets file: the failed targets' names and codes. */
export async function failedTargets(file: string): Promise<Array<{ name: string; code: string }>> {
  const result: CheckTargetsResult = await checkTargets({ targets: file, identityVersion: 'latest', onResult: (t) => void t.name })
  return result.targets.flatMap((t) => (t.error === undefined ? [] : [{ name: t.name, code: t.error.code }]))
}

// @ts-expect-error: not a code of the registry
export const notACode: ErrorCode = 'NOT_A_CODE'
