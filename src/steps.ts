/**
 * How a flow's steps are run. Outside Playwright Test a step is just its body; the fixtures of
 * `sf-oauth-harness/test` hand in a runner that makes each step a boxed `test.step` named by intent,
 * so the HTML report reads like the CLI's step list rather than Playwright's internals.
 */

/** Run one step named `title`; resolve to what `body` resolves to, reject with what it throws. */
export type StepRunner = <T>(title: string, body: () => Promise<T>) => Promise<T>

/** The default: no reporting, the body as is. */
export const runDirectly: StepRunner = (_title, body) => body()
