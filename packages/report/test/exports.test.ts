import { fileURLToPath } from 'node:url';
import { publicApi } from '@mlperf/testkit';
import { describe, expect, it } from 'vitest';

// The public surface of @mlperf/report. A change here is an API decision: document it in the README first.
describe('@mlperf/report exports', () => {
  it('these values', async () => {
    expect(Object.keys(await import('@mlperf/report')).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_DASHBOARDS",
        "GRAFANA_KEY_ENV",
        "captureDashboards",
        "chromiumPath",
        "collectResults",
        "exportDashboards",
        "launchBrowser",
        "packageResults",
        "printPdf",
        "renderImportedReport",
        "renderReport",
        "renderRunDashboards",
        "renderSuiteReport",
        "renderTestReport",
        "resolveRunDir",
        "standardDashboards",
        "suiteRunDirs",
      ]
    `);
  });

  it('these types', () => {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    expect(publicApi(entry).types).toMatchInlineSnapshot(`
      [
        "BrowserOptions",
        "Capture",
        "CaptureOptions",
        "DashboardSpec",
        "ExportedDashboards",
        "HeadlessBrowser",
        "ImportedRun",
        "Moment",
        "PanelQuery",
        "RenderedReport",
        "TestReportOptions",
      ]
    `);
  });
});
