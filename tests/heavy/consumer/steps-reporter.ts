// Writes every step the consumer run reports (title path and category), for the outer test to read.
import { appendFileSync } from 'node:fs'
import type { Reporter, TestCase, TestResult, TestStep } from '@playwright/test/reporter'

export default class StepsReporter implements Reporter {
  onStepEnd(test: TestCase, _result: TestResult, step: TestStep): void {
    appendFileSync('steps.txt', `${test.title} | ${step.category} | ${step.titlePath().join(' > ')}${step.error ? ' | FAILED' : ''}\n`)
  }
}
