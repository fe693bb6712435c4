import { parseDuration, type TestDefinition } from '@mlperf/core';
import { type LiveIssue, LiveIssueDetector } from '../monitor/live-issues.js';
import { TimeseriesTail } from '../monitor/tail.js';

/** Detector settings scaled to the test: short (quick-profile) tests get short windows. */
export function detectorFor(test: TestDefinition, plannedMs: number) {
  const plannedS = plannedMs / 1000;
  const warmupS = test.warmup ? parseDuration(test.warmup, 'warmup') / 1000 : Math.min(30, plannedS / 10);
  return new LiveIssueDetector({
    windowS: Math.max(3, Math.min(10, Math.round(plannedS / 4))),
    warmupS: Math.max(2, Math.min(warmupS, plannedS / 4)),
  });
}

/**
 * Follows a running test's timeseries and reports live issues (TPS plateau, error spike), each
 * with the likely causes `explain` finds. Polls; never throws into the suite.
 */
export class LiveWatch {
  private timer: NodeJS.Timeout | undefined;
  private tail: TimeseriesTail | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(
    private readonly detector: LiveIssueDetector,
    private readonly onIssue: (issue: LiveIssue) => void,
    private readonly explain: ((issue: LiveIssue) => Promise<LiveIssue['causes']>) | undefined,
    private readonly pollMs = 1000,
  ) {}

  start(runDir: string): void {
    this.tail = new TimeseriesTail(runDir);
    this.timer = setInterval(() => this.poll(), this.pollMs);
    this.timer.unref();
  }

  /** Stops polling after a last read; waits for explanations in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.tail) this.poll();
    await this.pending;
  }

  private poll(): void {
    let records: ReturnType<TimeseriesTail['read']> = [];
    try {
      records = this.tail?.read() ?? [];
    } catch {
      return;
    }
    for (const r of records) {
      for (const issue of this.detector.push(r)) {
        this.pending = this.pending.then(() => this.report(issue));
      }
    }
  }

  private async report(issue: LiveIssue): Promise<void> {
    if (this.explain) {
      try {
        const causes = await this.explain(issue);
        if (causes && causes.length > 0) issue.causes = causes;
      } catch {
        // no cause is better than a crashed suite
      }
    }
    this.onIssue(issue);
  }
}
