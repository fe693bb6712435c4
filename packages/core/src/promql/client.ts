import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { ExitCode, MlperfError } from '../errors.js';
import { prometheusError, transportError } from './client-errors.js';
import { chooseStep } from './step.js';
import type { MetricType } from './types.js';

/** Credentials for Prometheus or Alertmanager. Kept in memory only; never logged or written. */
export interface PrometheusAuth {
  bearerToken?: string;
  username?: string;
  password?: string;
}

export interface PrometheusClientOptions {
  /** Base URL, e.g. http://127.0.0.1:9090. Credentials in the URL move to `auth`. */
  url: string;
  auth?: PrometheusAuth;
  /** Alertmanager base URL, for `alertmanagerAlerts()`. */
  alertmanagerUrl?: string;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Called with every warning and info Prometheus attaches to a response. */
  onWarning?: (message: string, context: { path: string; kind: 'warning' | 'info' }) => void;
}

export type Labels = Record<string, string>;
export interface InstantSample {
  metric: Labels;
  value: [number, string];
}
export interface RangeSeries {
  metric: Labels;
  values: [number, string][];
}

export type InstantResult =
  | { resultType: 'vector'; result: InstantSample[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] }
  | { resultType: 'matrix'; result: RangeSeries[] };

export interface Annotated<T> {
  data: T;
  /** Prometheus' `warnings` (results may be incomplete) and `infos`; never dropped. */
  warnings: string[];
  infos: string[];
}

export interface MetricMetadata {
  type: MetricType;
  help: string;
  unit: string;
}

export interface TargetInfo {
  scrapePool: string;
  scrapeUrl: string;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  lastScrape: string;
  labels: Labels;
}

export interface AlertInfo {
  labels: Labels;
  annotations: Labels;
  state: string;
  activeAt?: string;
  value?: string;
}

type Time = number | Date;
const unix = (t: Time) => (t instanceof Date ? t.getTime() / 1000 : t);

/** Strips credentials and trailing slashes from a URL, for display and for requests. */
export function safeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    throw new MlperfError(
      'PROMETHEUS_BAD_URL',
      `not a URL: ${JSON.stringify(raw.replace(/\/\/[^@/]*@/, '//'))}`,
      {
        hint: 'give the Prometheus base URL, e.g. http://127.0.0.1:9090',
      },
    );
  }
}

/** Environment variables the client reads (`fromEnv`). */
export const PROMETHEUS_ENV = {
  url: 'MLPERF_PROMETHEUS_URL',
  token: 'MLPERF_PROMETHEUS_TOKEN',
  tokenFile: 'MLPERF_PROMETHEUS_TOKEN_FILE',
  username: 'MLPERF_PROMETHEUS_USERNAME',
  password: 'MLPERF_PROMETHEUS_PASSWORD',
  alertmanagerUrl: 'MLPERF_ALERTMANAGER_URL',
} as const;

/** A Prometheus HTTP API client (instant and range queries, metadata, targets, alerts). */
export class PrometheusClient {
  readonly url: string;
  readonly alertmanagerUrl: string | undefined;
  readonly #auth: PrometheusAuth;
  readonly #timeoutMs: number;
  readonly #onWarning: PrometheusClientOptions['onWarning'];

  constructor(options: PrometheusClientOptions) {
    this.url = safeUrl(options.url);
    this.alertmanagerUrl =
      options.alertmanagerUrl === undefined ? undefined : safeUrl(options.alertmanagerUrl);
    const inUrl = new URL(options.url);
    const fromUrl: PrometheusAuth = inUrl.username
      ? { username: decodeURIComponent(inUrl.username), password: decodeURIComponent(inUrl.password) }
      : {};
    this.#auth = { ...fromUrl, ...options.auth };
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#onWarning = options.onWarning;
  }

  /** A client configured from `MLPERF_PROMETHEUS_*` variables (and `url` when given). */
  static fromEnv(
    options: Partial<PrometheusClientOptions> = {},
    env: NodeJS.ProcessEnv = process.env,
  ): PrometheusClient {
    const url = options.url ?? env[PROMETHEUS_ENV.url];
    if (!url) {
      throw new MlperfError('PROMETHEUS_NO_URL', 'no Prometheus URL given', {
        hint: `pass --prometheus-url or set ${PROMETHEUS_ENV.url}`,
        exitCode: ExitCode.badInput,
      });
    }
    const tokenFile = env[PROMETHEUS_ENV.tokenFile];
    const token =
      env[PROMETHEUS_ENV.token] ?? (tokenFile ? readFileSync(tokenFile, 'utf8').trim() : undefined);
    const auth: PrometheusAuth = { ...options.auth };
    if (token && !auth.bearerToken) auth.bearerToken = token;
    if (env[PROMETHEUS_ENV.username] && !auth.username) {
      auth.username = env[PROMETHEUS_ENV.username];
      auth.password = env[PROMETHEUS_ENV.password] ?? '';
    }
    const alertmanagerUrl = options.alertmanagerUrl ?? env[PROMETHEUS_ENV.alertmanagerUrl];
    return new PrometheusClient({ ...options, url, auth, ...(alertmanagerUrl ? { alertmanagerUrl } : {}) });
  }

  toJSON(): { url: string; alertmanagerUrl?: string } {
    return this.alertmanagerUrl
      ? { url: this.url, alertmanagerUrl: this.alertmanagerUrl }
      : { url: this.url };
  }

  [inspect.custom](): string {
    return `PrometheusClient { url: ${JSON.stringify(this.url)} }`;
  }

  #headers(): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json' };
    if (this.#auth.bearerToken) h.Authorization = `Bearer ${this.#auth.bearerToken}`;
    else if (this.#auth.username !== undefined) {
      h.Authorization = `Basic ${Buffer.from(`${this.#auth.username}:${this.#auth.password ?? ''}`).toString('base64')}`;
    }
    return h;
  }

  async #fetch(
    base: string,
    path: string,
    init: { method?: 'GET' | 'POST'; form?: URLSearchParams } = {},
  ): Promise<Response> {
    const headers = this.#headers();
    let url = `${base}${path}`;
    let body: string | undefined;
    if (init.form && init.method === 'POST') {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = init.form.toString();
    } else if (init.form) {
      url += `?${init.form.toString()}`;
    }
    try {
      return await fetch(url, {
        method: init.method ?? 'GET',
        headers,
        body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      throw transportError(base, path, err, this.#timeoutMs);
    }
  }

  async #api<T>(path: string, form: URLSearchParams, method: 'GET' | 'POST' = 'GET'): Promise<Annotated<T>> {
    const res = await this.#fetch(this.url, path, { method, form });
    const text = await res.text();
    let body: {
      status?: string;
      data?: T;
      errorType?: string;
      error?: string;
      warnings?: string[];
      infos?: string[];
    };
    try {
      body = JSON.parse(text);
    } catch {
      throw prometheusError(this.url, path, res.status, undefined, text);
    }
    if (!res.ok || body.status !== 'success') throw prometheusError(this.url, path, res.status, body, text);
    const warnings = body.warnings ?? [];
    const infos = body.infos ?? [];
    for (const w of warnings) this.#onWarning?.(w, { path, kind: 'warning' });
    for (const i of infos) this.#onWarning?.(i, { path, kind: 'info' });
    return { data: body.data as T, warnings, infos };
  }

  /** True when `/-/ready` answers 200. Never throws. */
  async ready(): Promise<boolean> {
    try {
      const res = await this.#fetch(this.url, '/-/ready');
      await res.text();
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Waits until `/-/ready`; throws PROMETHEUS_NOT_READY after `timeoutMs`. */
  async waitReady(timeoutMs = 30_000, intervalMs = 100): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.ready())) {
      if (Date.now() > deadline) {
        throw new MlperfError(
          'PROMETHEUS_NOT_READY',
          `Prometheus at ${this.url} was not ready within ${timeoutMs} ms`,
          {
            hint: 'check that it is running and that /-/ready answers',
            exitCode: ExitCode.unavailable,
          },
        );
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  /** An instant query. */
  query(expr: string, options: { time?: Time; timeoutS?: number } = {}): Promise<Annotated<InstantResult>> {
    const form = new URLSearchParams({ query: expr });
    if (options.time !== undefined) form.set('time', String(unix(options.time)));
    if (options.timeoutS !== undefined) form.set('timeout', `${options.timeoutS}s`);
    return this.#api<InstantResult>('/api/v1/query', form, 'POST');
  }

  /** A range query; `step` defaults to the smallest that keeps every series under 11,000 points. */
  async queryRange(
    expr: string,
    options: { start: Time; end: Time; step?: number; minStep?: number },
  ): Promise<Annotated<RangeSeries[]> & { step: number }> {
    const start = unix(options.start);
    const end = unix(options.end);
    if (!(end >= start)) {
      throw new MlperfError('PROMQL_BAD_RANGE', `range query end (${end}) is before its start (${start})`, {
        hint: 'give start <= end, in unix seconds',
      });
    }
    const step = options.step ?? chooseStep(start, end, options.minStep ?? 1);
    const form = new URLSearchParams({
      query: expr,
      start: String(start),
      end: String(end),
      step: String(step),
    });
    const res = await this.#api<{ resultType: 'matrix'; result: RangeSeries[] }>(
      '/api/v1/query_range',
      form,
      'POST',
    );
    return { data: res.data.result, warnings: res.warnings, infos: res.infos, step };
  }

  /** Label sets of the series matching any of the selectors. */
  async series(match: string[], options: { start?: Time; end?: Time } = {}): Promise<Annotated<Labels[]>> {
    const form = new URLSearchParams();
    for (const m of match) form.append('match[]', m);
    if (options.start !== undefined) form.set('start', String(unix(options.start)));
    if (options.end !== undefined) form.set('end', String(unix(options.end)));
    return this.#api<Labels[]>('/api/v1/series', form, 'POST');
  }

  async labelNames(options: { match?: string[] } = {}): Promise<Annotated<string[]>> {
    const form = new URLSearchParams();
    for (const m of options.match ?? []) form.append('match[]', m);
    return this.#api<string[]>('/api/v1/labels', form);
  }

  async labelValues(
    label: string,
    options: { match?: string[]; start?: Time; end?: Time } = {},
  ): Promise<Annotated<string[]>> {
    const form = new URLSearchParams();
    for (const m of options.match ?? []) form.append('match[]', m);
    if (options.start !== undefined) form.set('start', String(unix(options.start)));
    if (options.end !== undefined) form.set('end', String(unix(options.end)));
    return this.#api<string[]>(`/api/v1/label/${encodeURIComponent(label)}/values`, form);
  }

  /** Metric metadata (type, help, unit) per metric name. */
  async metadata(options: { metric?: string } = {}): Promise<Annotated<Record<string, MetricMetadata[]>>> {
    const form = new URLSearchParams();
    if (options.metric) form.set('metric', options.metric);
    return this.#api<Record<string, MetricMetadata[]>>('/api/v1/metadata', form);
  }

  /** `metric -> type` from the metadata API (first entry per metric). */
  async metricTypes(): Promise<Record<string, MetricType>> {
    const { data } = await this.metadata();
    const out: Record<string, MetricType> = {};
    for (const [name, entries] of Object.entries(data)) if (entries[0]) out[name] = entries[0].type;
    return out;
  }

  async targets(
    options: { state?: 'active' | 'dropped' | 'any' } = {},
  ): Promise<Annotated<{ activeTargets: TargetInfo[]; droppedTargets: unknown[] }>> {
    const form = new URLSearchParams();
    if (options.state) form.set('state', options.state);
    return this.#api('/api/v1/targets', form);
  }

  async alerts(): Promise<Annotated<{ alerts: AlertInfo[] }>> {
    return this.#api('/api/v1/alerts', new URLSearchParams());
  }

  async buildInfo(): Promise<Annotated<{ version: string; revision?: string; goVersion?: string }>> {
    return this.#api('/api/v1/status/buildinfo', new URLSearchParams());
  }

  /** Alerts from Alertmanager's `/api/v2/alerts` (needs `alertmanagerUrl`). */
  async alertmanagerAlerts(
    options: { active?: boolean; silenced?: boolean; inhibited?: boolean; filter?: string[] } = {},
  ): Promise<unknown[]> {
    const base = this.alertmanagerUrl;
    if (!base) {
      throw new MlperfError('ALERTMANAGER_NO_URL', 'no Alertmanager URL configured', {
        hint: `set ${PROMETHEUS_ENV.alertmanagerUrl} or pass alertmanagerUrl`,
      });
    }
    const form = new URLSearchParams();
    for (const key of ['active', 'silenced', 'inhibited'] as const) {
      if (options[key] !== undefined) form.set(key, String(options[key]));
    }
    for (const f of options.filter ?? []) form.append('filter', f);
    const path = '/api/v2/alerts';
    const res = await this.#fetch(base, path, { form });
    const text = await res.text();
    if (!res.ok) throw prometheusError(base, path, res.status, undefined, text, 'Alertmanager');
    try {
      const parsed: unknown = JSON.parse(text);
      if (!Array.isArray(parsed)) throw new Error('not an array');
      return parsed;
    } catch {
      throw prometheusError(base, path, res.status, undefined, text, 'Alertmanager');
    }
  }
}
