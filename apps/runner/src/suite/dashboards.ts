import { isMlperfError } from '@mlperf/core';
import { captureDashboards, renderRunDashboards } from '@mlperf/report';
import type { ArgsDef } from 'citty';

/** `--grafana-url`, declared once for `run` and `suite run`. */
export const grafanaArgs = {
  'grafana-url': {
    type: 'string',
    description:
      "Also capture each test's dashboards from this Grafana (API key from $MLPERF_GRAFANA_API_KEY); they are always drawn offline",
    valueHint: 'url',
  },
} satisfies ArgsDef;

/**
 * A run's dashboards/: the Phase-07 plan dashboards drawn offline from its metrics/ and timeseries (always),
 * and captured from Grafana when a URL is given. A failure is said, never fatal to the run.
 */
export async function runDashboards(runDir: string, grafanaUrl?: string): Promise<string[]> {
  const notes: string[] = [];
  try {
    await renderRunDashboards(runDir);
  } catch (err) {
    notes.push(`dashboards: offline rendering failed: ${(err as Error).message}`);
  }
  if (grafanaUrl) {
    try {
      await captureDashboards({ grafanaUrl, runDir });
    } catch (err) {
      notes.push(
        `dashboards: Grafana capture failed: ${isMlperfError(err) ? err.format() : (err as Error).message}`,
      );
    }
  }
  for (const n of notes) console.error(`note: ${n}`);
  return notes;
}
