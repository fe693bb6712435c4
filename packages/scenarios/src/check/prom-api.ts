import { httpJson, joinUrl } from './http.js';
import type { Sample } from './prom-text.js';

interface PromVectorAnswer {
  status: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
  error?: string;
}

/** One instant query; `problem` says why there are no samples when the query could not run. */
export async function promInstant(
  baseUrl: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<{ samples: Sample[]; problem?: string }> {
  const r = await httpJson<PromVectorAnswer>(
    joinUrl(baseUrl, `/api/v1/query?query=${encodeURIComponent(query)}`),
    { headers },
  );
  if (!r.value) return { samples: [], problem: `Prometheus ${r.problem}` };
  if (r.value.status !== 'success' || !r.value.data) {
    return { samples: [], problem: `Prometheus: ${r.value.error ?? 'query failed'} (${query})` };
  }
  const samples: Sample[] = [];
  for (const s of r.value.data.result) {
    const v = Number(s.value[1]);
    if (Number.isFinite(v)) samples.push({ name: s.metric.__name__ ?? '', labels: s.metric, value: v });
  }
  return { samples };
}
