/** Small HTTP helpers for the checks: bounded time, errors as values, never throwing on status. */

export interface HttpAnswer {
  ok: boolean;
  status: number;
  body: string;
  ms: number;
  /** Set when no HTTP answer came back (refused, timeout, DNS). */
  error?: string;
}

export async function httpGet(
  url: string,
  options: { timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      headers: options.headers ?? {},
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    const body = await res.text();
    return { ok: res.ok, status: res.status, body, ms: performance.now() - started };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? 'timed out' : (e.cause?.code ?? e.message);
    return { ok: false, status: 0, body: '', ms: performance.now() - started, error: why };
  }
}

/** GET and parse JSON; `undefined` with the reason when anything goes wrong. */
export async function httpJson<T>(
  url: string,
  options: { timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<{ value?: T; answer: HttpAnswer; problem?: string }> {
  const answer = await httpGet(url, options);
  if (answer.error) return { answer, problem: `${url}: ${answer.error}` };
  if (!answer.ok) return { answer, problem: `${url}: HTTP ${answer.status}` };
  try {
    return { value: JSON.parse(answer.body) as T, answer };
  } catch {
    return { answer, problem: `${url}: answer is not JSON` };
  }
}

/** `http://127.0.0.1:4000/` + `/participants` without a double slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
