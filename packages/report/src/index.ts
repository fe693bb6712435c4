export { loadTestReportInput, readAnalysisFile } from './load.js';
export type { TestReportInput } from './load.js';
export { buildTestReportHtml, renderTestReport, TEST_REPORT_FILE } from './render-test.js';
export type { RenderedReport, TestReportOptions } from './render-test.js';
export { downsample } from './downsample.js';
export type { Point } from './downsample.js';
export { PHASE_CONFIG, PHASE_INFRA, PHASE_RETEST, playbookMarkdown, tuningSteps } from './playbook.js';
export type { TuningStep } from './playbook.js';
export { chromiumPath, DEFAULT_CHROMIUM, launchBrowser, printPdf } from './browser.js';
export type { BrowserOptions, HeadlessBrowser } from './browser.js';
export {
  PLAYBOOK_HTML_FILE,
  PLAYBOOK_MD_FILE,
  renderReport,
  renderSuiteReport,
  SUCCESS_REPORT_FILE,
  SUITE_REPORT_FILE,
} from './render-suite.js';
export type { RenderedSuite } from './render-suite.js';
export { resolveRunDir, suiteRunDirs } from './view/suite-dirs.js';
export { buildDashboard, exportDashboards } from './grafana/dashboards.js';
export type { DashboardRun, ExportedDashboards } from './grafana/dashboards.js';
export { OFFLINE_DASHBOARDS_FILE, renderRunDashboards } from './dashboards/render.js';
export type { RenderedDashboard } from './dashboards/render.js';
export { DEFAULT_DASHBOARDS, panelOf, standardDashboards } from './grafana/panels.js';
export type { DashboardSpec, PanelQuery } from './grafana/panels.js';
export { captureDashboards, captureWindows, GRAFANA_KEY_ENV } from './grafana/capture.js';
export type { Capture, CaptureOptions, Moment } from './grafana/capture.js';
export { MANIFEST_JSON, MANIFEST_SHA256, packageResults } from './package/package.js';
export type { PackageEntry, PackageResult } from './package/package.js';
export { collectResults } from './package/collect.js';
export type { CollectedItem, Collection } from './package/collect.js';
export { scrubText } from './package/secrets.js';
export { importedReportInput, renderImportedReport } from './render-import.js';
export type { ImportedRun } from './render-import.js';
