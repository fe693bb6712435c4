import type { PrometheusClient } from './client.js';
import { closestName } from './functions.js';
import type { Diagnostic, ValidateOptions } from './types.js';
import { listSelectors, validateQuery } from './validate.js';

export interface LiveValidateOptions extends ValidateOptions {
  client: PrometheusClient;
  /** How far back a selector must have had series (default 1 h). */
  lookbackS?: number;
}

/**
 * `validateQuery` against a connected Prometheus: metric types come from the metadata API, and
 * every selector that matches no series in the lookback window gets a `no-series` warning.
 */
export async function validateQueryLive(q: string, options: LiveValidateOptions): Promise<Diagnostic[]> {
  const { client, lookbackS = 3600, ...rest } = options;
  const metadata = { ...(await client.metricTypes()), ...rest.metadata };
  const prometheusVersion =
    rest.prometheusVersion ?? (await client.buildInfo().catch(() => undefined))?.data.version;
  const diagnostics = validateQuery(q, {
    ...rest,
    metadata,
    ...(prometheusVersion ? { prometheusVersion } : {}),
  });
  if (diagnostics.some((d) => d.severity === 'error')) return diagnostics;
  const end = Date.now() / 1000;
  let names: string[] | undefined;
  for (const sel of listSelectors(q, prometheusVersion ? { prometheusVersion } : {})) {
    const { data } = await client.series([sel.text], { start: end - lookbackS, end });
    if (data.length > 0) continue;
    names ??= (await client.labelValues('__name__', { start: end - lookbackS, end })).data;
    const exists = sel.metric !== undefined && names.includes(sel.metric);
    const near = sel.metric !== undefined && !exists ? closestName(sel.metric, names) : undefined;
    diagnostics.push({
      severity: 'warning',
      from: sel.from,
      to: sel.to,
      message: exists
        ? `\`${sel.text}\` matches no series in the last ${Math.round(lookbackS / 60)} min: \`${sel.metric}\` exists, but not with these labels`
        : `\`${sel.text}\` matches no series in the last ${Math.round(lookbackS / 60)} min on ${client.url}`,
      hint: exists
        ? `compare the matchers with its series: mlperf promql query '${sel.metric}'`
        : near
          ? `did you mean \`${near}\`?`
          : 'check the metric name, the exporter, and the recording rules',
      rule: 'no-series',
    });
  }
  return diagnostics.sort((a, b) => a.from - b.from);
}
