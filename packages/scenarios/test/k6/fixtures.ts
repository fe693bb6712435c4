import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { K6HandleSummary } from '@mlperf/scenarios';

/** Real k6 v0.45 output: the repository's copy (fixtures/k6, see its README.md). */
export const K6_FIXTURES = fileURLToPath(new URL('../../../../fixtures/k6/', import.meta.url));

export const handleSummaryFixture = (): K6HandleSummary =>
  JSON.parse(readFileSync(`${K6_FIXTURES}handle-summary.json`, 'utf8')) as K6HandleSummary;
export const summaryExportFixture = (): unknown =>
  JSON.parse(readFileSync(`${K6_FIXTURES}summary-export.json`, 'utf8'));
