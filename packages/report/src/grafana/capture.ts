import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, MlperfError, readResults, safeFileName, writeFileAtomic } from '@mlperf/core';
import type { HTTPRequest } from 'puppeteer-core';
import { type BrowserOptions, launchBrowser } from '../browser.js';
import { DEFAULT_DASHBOARDS, type DashboardSpec } from './panels.js';

/** Environment variables the Grafana API key is read from (never a flag, never written anywhere). */
export const GRAFANA_KEY_ENV = ['MLPERF_GRAFANA_API_KEY', 'GRAFANA_API_KEY'] as const;

/** The Phase-07 plan's moments: test start, peak TPS, test end; `errors` when the error rate passed 0.5%. */
export type Moment = 'start' | 'peak' | 'end' | 'errors';

/** The Phase-07 plan captures the error-analysis view "when error rate > 0.5%". */
const ERROR_CAPTURE_RATE = 0.005;

export interface CaptureOptions extends BrowserOptions {
  grafanaUrl: string;
  /** The test's results directory; screenshots go to its dashboards/. */
  runDir: string;
  dashboards?: Pick<DashboardSpec, 'uid' | 'title'>[];
  moments?: Moment[];
  /** Defaults to the first set of GRAFANA_KEY_ENV. */
  apiKey?: string;
  /** Page load timeout per screenshot, ms. */
  timeoutMs?: number;
}

export interface Capture {
  dashboard: string;
  moment: Moment;
  from: number;
  to: number;
  file: string;
}

type Window = { at: number; from: number; to: number };

/** Unix ms windows around the Phase-07 plan's moments; `errors` only when some second's error rate passed 0.5%. */
export function captureWindows(
  runDir: string,
): Record<Exclude<Moment, 'errors'>, Window> & { errors?: Window } {
  const r = readResults(runDir);
  const ts = r.timeseries;
  const start = ts[0]?.t ?? Date.parse(r.manifest.startedAt);
  const last = ts[ts.length - 1];
  const end = last ? last.t + 1000 : Date.parse(r.manifest.endedAt ?? r.manifest.startedAt);
  let peak = start;
  let best = -1;
  let firstErrors: number | undefined;
  for (const s of ts) {
    if (s.succeeded > best) {
      best = s.succeeded;
      peak = s.t;
    }
    const failed = Object.values(s.failed).reduce((a, b) => a + b, 0);
    if (firstErrors === undefined && failed > 0 && failed / (failed + s.succeeded) > ERROR_CAPTURE_RATE)
      firstErrors = s.t;
  }
  const span = Math.min(10 * 60_000, Math.max(60_000, (end - start) / 4));
  const clamp = (from: number) => {
    const f = Math.max(start, Math.min(from, end - span));
    return { from: f, to: Math.min(end, f + span) };
  };
  return {
    start: { at: start, ...clamp(start) },
    peak: { at: peak, ...clamp(peak - span / 2) },
    end: { at: end, ...clamp(end - span) },
    ...(firstErrors === undefined ? {} : { errors: { at: firstErrors, ...clamp(firstErrors - span / 4) } }),
  };
}

function grafanaBase(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new MlperfError('GRAFANA_URL_INVALID', `--grafana-url ${url}: not a URL`, {
      hint: 'e.g. --grafana-url http://grafana.monitoring:3000',
      exitCode: ExitCode.badInput,
    });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new MlperfError('GRAFANA_URL_INVALID', `--grafana-url ${url}: must be http or https`, {
      hint: 'e.g. --grafana-url http://grafana.monitoring:3000',
      exitCode: ExitCode.badInput,
    });
  }
  if (u.username || u.password) {
    throw new MlperfError('GRAFANA_URL_CREDENTIALS', '--grafana-url: contains a user name or password', {
      hint: `remove the credentials from the URL and put an API key in ${GRAFANA_KEY_ENV[0]}`,
      exitCode: ExitCode.badInput,
    });
  }
  return u;
}

/**
 * Screenshots each dashboard through Grafana's own URL with the test's time range, at the start,
 * the peak and the end of the run, into `<runDir>/dashboards/<uid>-<moment>.png`.
 */
export async function captureDashboards(options: CaptureOptions): Promise<Capture[]> {
  const base = grafanaBase(options.grafanaUrl);
  const apiKey = options.apiKey ?? GRAFANA_KEY_ENV.map((k) => process.env[k]).find((v) => v);
  const windows = captureWindows(options.runDir);
  const dashboards = options.dashboards ?? DEFAULT_DASHBOARDS;
  const moments =
    options.moments ?? (['start', 'peak', 'end', ...(windows.errors ? ['errors'] : [])] as Moment[]);
  const hb = await launchBrowser({
    width: options.width ?? 1600,
    height: options.height ?? 1000,
    ...(options.chromiumPath ? { chromiumPath: options.chromiumPath } : {}),
  });
  const out: Capture[] = [];
  mkdirSync(join(options.runDir, 'dashboards'), { recursive: true });
  try {
    const page = await hb.browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (req: HTTPRequest) => {
      // The key goes only to Grafana's own origin, never to a third party the page may load.
      if (apiKey && new URL(req.url()).origin === base.origin) {
        void req.continue({ headers: { ...req.headers(), authorization: `Bearer ${apiKey}` } });
      } else void req.continue();
    });
    for (const d of dashboards) {
      for (const moment of moments) {
        const w = windows[moment];
        if (!w) continue;
        const url = new URL(
          `${base.pathname.replace(/\/$/, '')}/d/${encodeURIComponent(d.uid)}/${encodeURIComponent(d.uid)}`,
          base,
        );
        url.search = new URLSearchParams({
          orgId: '1',
          from: String(Math.round(w.from)),
          to: String(Math.round(w.to)),
          kiosk: '',
        }).toString();
        let status: number | undefined;
        try {
          const res = await page.goto(url.href, {
            waitUntil: 'networkidle0',
            timeout: options.timeoutMs ?? 60_000,
          });
          status = res?.status();
        } catch (err) {
          throw new MlperfError(
            'GRAFANA_UNREACHABLE',
            `--grafana-url ${base.origin}: ${(err as Error).message}`,
            {
              hint: 'check that Grafana is running and reachable from here (port-forward it if it runs in the cluster)',
              exitCode: ExitCode.unavailable,
              cause: err,
            },
          );
        }
        if (status === 401 || status === 403) {
          throw new MlperfError(
            'GRAFANA_UNAUTHORIZED',
            `${base.origin}: Grafana answered ${status} for dashboard ${d.uid}`,
            {
              hint: `set ${GRAFANA_KEY_ENV[0]} to a service-account token with Viewer rights`,
              exitCode: ExitCode.unavailable,
            },
          );
        }
        if (status !== undefined && status >= 400) {
          throw new MlperfError(
            'GRAFANA_DASHBOARD_MISSING',
            `${base.origin}: dashboard ${d.uid} answered HTTP ${status}`,
            {
              hint: 'provision the dashboards first: `mlperf dashboards export --out <dir>` and load them into Grafana',
              exitCode: ExitCode.unavailable,
            },
          );
        }
        const file = join(options.runDir, 'dashboards', `${safeFileName(d.uid)}-${moment}.png`);
        await page.screenshot({ path: file as `${string}.png`, fullPage: true });
        out.push({ dashboard: d.uid, moment, from: w.from, to: w.to, file });
      }
    }
  } finally {
    await hb.close();
  }
  writeFileAtomic(
    join(options.runDir, 'dashboards', 'captures.json'),
    `${JSON.stringify({ grafana: base.origin + base.pathname, captures: out.map((c) => ({ ...c, file: c.file.slice(options.runDir.length + 1) })) }, null, 2)}\n`,
  );
  return out;
}
