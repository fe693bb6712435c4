import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbPoolFinding, passAnalysis, XSS } from '@mlperf/testkit/runs';
import { makeRun, writeAnalysis } from '@mlperf/testkit/runs';
import { buildTestReportHtml } from '../src/render-test.js';
import { downsample } from '../src/downsample.js';
import { loadTestReportInput } from '../src/load.js';
import type { Point } from '../src/downsample.js';
import { tuningSteps } from '../src/playbook.js';

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'mlperf-view-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('downsample (charts only)', () => {
  it('keeps the first and last point, the peaks, and at most the threshold', () => {
    const pts: Point[] = Array.from({ length: 7200 }, (_, i) => [i, i === 3000 ? 5000 : 1000]);
    const d = downsample(pts, 600);
    expect(d.length).toBeLessThanOrEqual(600);
    expect(d[0]).toEqual([0, 1000]);
    expect(d.at(-1)).toEqual([7199, 1000]);
    expect(d).toContainEqual([3000, 5000]);
  });

  it('keeps gaps as gaps', () => {
    const pts: Point[] = [
      ...Array.from({ length: 500 }, (_, i) => [i, i] as Point),
      [500, null],
      ...Array.from({ length: 500 }, (_, i) => [i + 501, i] as Point),
    ];
    const d = downsample(pts, 100);
    expect(d.filter((p) => p[1] === null)).toHaveLength(1);
    expect(downsample(pts.slice(0, 10), 100)).toEqual(pts.slice(0, 10));
  });
});

describe('test report view', () => {
  it('colours key metrics by the Phase-07 plan bands when the analysis gave none', () => {
    const dir = makeRun(base, { testId: 'bands', seconds: 30, tps: 1000 });
    const a = passAnalysis('bands');
    a.keyMetrics = [
      { metric: 'tps', label: 'TPS Achieved', value: 920, unit: 'tps', source: 'x' },
      { metric: 'p95-latency', label: 'P95 Latency', value: 450, unit: 'ms', source: 'x' },
      { metric: 'success-rate', label: 'Success Rate', value: 0.999, unit: 'ratio', source: 'x' },
    ];
    writeAnalysis(dir, a);
    const { view, html } = buildTestReportHtml(loadTestReportInput(dir));
    expect(view.keyMetrics.map((k) => [k.label, k.value, k.band])).toEqual([
      ['TPS Achieved', '920 TPS', 'warning'],
      ['P95 Latency', '450 ms', 'warning'],
      ['Success Rate', '99.9%', 'target'],
    ]);
    expect(html).toContain('class="num band-warning" data-band="warning">920 TPS');
  });

  it('a damaged analysis.json is reported, not fatal', () => {
    const dir = makeRun(base, { testId: 'damaged', seconds: 10, tps: 10 });
    writeAnalysis(dir, { kind: 'test', schemaVersion: 1 });
    const input = loadTestReportInput(dir);
    expect(input.analysis).toBeUndefined();
    expect(input.analysisProblem).toMatch(/^analysis.json: fields missing: verdict, headline/);
    expect(buildTestReportHtml(input).view.verdict).toBe('inconclusive');
  });

  it('a run killed before its first second still renders, every chart marked missing', () => {
    const dir = makeRun(base, { testId: 'empty', seconds: 0, tps: 100, status: 'running', metrics: false });
    const { view, html } = buildTestReportHtml(loadTestReportInput(dir));
    expect(view.charts.filter((c) => c.svg)).toEqual([]);
    expect(view.missing).toContain('timeseries.ndjson: holds no complete second');
    expect(html).toContain('data-chart-missing="tps"');
  });

  it('a missing run.json is a clear error', () => {
    expect(() => loadTestReportInput(base)).toThrow(expect.objectContaining({ code: 'RESULTS_INVALID' }));
  });
});

describe('tuning steps', () => {
  it('critical before warning, the finding’s own fix before the playbook default', () => {
    const steps = tuningSteps([
      {
        id: 'cpu',
        kind: 'cpu-throttling',
        title: 'CPU throttling',
        subject: 'ml-api-adapter',
        severity: 'warning',
        confidence: 0.6,
        rank: 1,
        summary: 's',
        evidence: [],
      },
      dbPoolFinding(),
      {
        id: 'i',
        kind: 'other',
        title: 'note',
        severity: 'info',
        confidence: 1,
        rank: 0,
        summary: 'n',
        evidence: [],
      },
    ]);
    expect(steps.map((s) => [s.step, s.bottleneck, s.runbookScript, s.phase])).toEqual([
      [
        1,
        'Database connection pool exhausted',
        './scale-db-connections.sh',
        'Phase 04: Mojaloop configuration',
      ],
      [2, 'CPU throttling', './scale-service-replicas.sh', 'Phase 02: infrastructure scaling'],
    ]);
    expect(steps[0]?.why).toContain(XSS);
  });
});
