import { describe, expect, it } from 'vitest';
import { LiveIssueDetector } from '../../src/monitor/live-issues.js';
import { second } from '../suite-run/helpers.js';

function feed(d: LiveIssueDetector, records: ReturnType<typeof second>[]) {
  return records.flatMap((r) => d.push(r).map((i) => ({ s: r.s, kind: i.kind, severity: i.severity })));
}

describe("LiveIssueDetector (the Phase-07 plan's common issues, live)", () => {
  it('says nothing for a healthy run that ramps up to its rate', () => {
    const d = new LiveIssueDetector({ windowS: 5, warmupS: 3 });
    const rs = Array.from({ length: 60 }, (_, s) => second(s, 1000, Math.min(1000, s * 400)));
    expect(feed(d, rs)).toEqual([]);
  });

  it('reports a plateau below the offered rate once, even while achieved wobbles upwards', () => {
    const d = new LiveIssueDetector({ windowS: 5, warmupS: 3 });
    const achieved = [
      100, 200, 240, 250, 250, 250, 250, 260, 330, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 250,
    ];
    const rs = achieved.map((a, s) => second(s, 600, a));
    expect(feed(d, rs)).toEqual([{ s: 8, kind: 'tps-plateau', severity: 'critical' }]);
  });

  it('reports an error spike, clears, and reports the next one', () => {
    const d = new LiveIssueDetector();
    const rs = Array.from({ length: 40 }, (_, s) => {
      const bad = (s >= 10 && s < 15) || (s >= 30 && s < 33);
      return second(s, 100, bad ? 90 : 100, bad ? { 'fspiop:4001': 10 } : {});
    });
    const issues = feed(d, rs);
    expect(issues.map((i) => [i.kind, i.s])).toEqual([
      ['error-spike', 10],
      ['error-spike', 30],
    ]);
    const next = d.push(second(40, 100, 50, { timeout: 50 })).find((i) => i.kind === 'error-spike');
    expect(next).toMatchObject({ kind: 'error-spike', errorsByType: { timeout: 50 } });
  });
});
