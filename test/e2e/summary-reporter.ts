import type { FullResult, Reporter, TestCase, TestResult } from '@playwright/test/reporter';

/** Prints one plain closing line, `e2e: N passed, N failed, N skipped`, that CI can read. */
export default class SummaryReporter implements Reporter {
  private readonly outcome = new Map<string, 'passed' | 'failed' | 'skipped'>();

  onTestEnd(test: TestCase, result: TestResult): void {
    // Keyed by test id: a retried test counts once, by its final outcome.
    const status = result.status === 'passed' ? 'passed' : result.status === 'skipped' ? 'skipped' : 'failed';
    this.outcome.set(test.id, status);
  }

  onEnd(_result: FullResult): void {
    const count = (s: string) => [...this.outcome.values()].filter((v) => v === s).length;
    console.log(`\ne2e: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`);
  }
}
