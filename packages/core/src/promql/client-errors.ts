import { ExitCode, MlperfError } from '../errors.js';
import { errorMessage } from '../error-message.js';

interface ErrorBody {
  errorType?: string;
  error?: string;
}

const BY_TYPE: Record<string, { code: string; exitCode: ExitCode; hint: string }> = {
  bad_data: {
    code: 'PROMQL_BAD_DATA',
    exitCode: ExitCode.badInput,
    hint: 'check the query with `mlperf promql lint`',
  },
  timeout: {
    code: 'PROMETHEUS_TIMEOUT',
    exitCode: ExitCode.unavailable,
    hint: 'narrow the time range, raise the step or simplify the query',
  },
  canceled: {
    code: 'PROMETHEUS_CANCELED',
    exitCode: ExitCode.unavailable,
    hint: 'the query was cancelled (Prometheus shutting down or overloaded); retry',
  },
  execution: {
    code: 'PROMETHEUS_EXECUTION',
    exitCode: ExitCode.unavailable,
    hint: 'the query failed while running (often too many samples): narrow the range or aggregate earlier',
  },
  unavailable: {
    code: 'PROMETHEUS_UNAVAILABLE',
    exitCode: ExitCode.unavailable,
    hint: 'Prometheus is starting or overloaded; retry shortly',
  },
  not_found: {
    code: 'PROMETHEUS_NOT_FOUND',
    exitCode: ExitCode.badInput,
    hint: 'check the URL: it should be the Prometheus base URL',
  },
  not_acceptable: {
    code: 'PROMETHEUS_NOT_ACCEPTABLE',
    exitCode: ExitCode.unavailable,
    hint: 'the Prometheus version may be too old for this API',
  },
  internal: { code: 'PROMETHEUS_INTERNAL', exitCode: ExitCode.unavailable, hint: 'see the Prometheus logs' },
};

const clip = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}...` : s).replace(/\s+/g, ' ').trim();

/** A clear error for a Prometheus (or Alertmanager) error response. */
export function prometheusError(
  base: string,
  path: string,
  status: number,
  body: ErrorBody | undefined,
  text: string,
  service = 'Prometheus',
): MlperfError {
  if (status === 401 || status === 403) {
    return new MlperfError('PROMETHEUS_AUTH', `${service} at ${base} refused ${path} (HTTP ${status})`, {
      hint: 'set MLPERF_PROMETHEUS_TOKEN (bearer) or MLPERF_PROMETHEUS_USERNAME/PASSWORD (basic auth)',
      exitCode: ExitCode.unavailable,
    });
  }
  const known = body?.errorType ? BY_TYPE[body.errorType] : undefined;
  if (body?.errorType && known) {
    return new MlperfError(
      known.code,
      `${service} ${path}: ${body.errorType}: ${body.error ?? 'no detail'}`,
      {
        hint: known.hint,
        exitCode: known.exitCode,
        details: { status, errorType: body.errorType },
      },
    );
  }
  if (body?.errorType) {
    return new MlperfError(
      'PROMETHEUS_ERROR',
      `${service} ${path}: ${body.errorType}: ${body.error ?? 'no detail'}`,
      {
        hint: 'see the Prometheus logs',
        exitCode: ExitCode.unavailable,
      },
    );
  }
  return new MlperfError(
    'PROMETHEUS_BAD_RESPONSE',
    `${service} at ${base} answered ${path} with HTTP ${status}: ${clip(text) || '(empty body)'}`,
    {
      hint: `check that ${base} is the ${service} base URL`,
      exitCode: ExitCode.unavailable,
    },
  );
}

/** A clear error for a request that got no response. */
export function transportError(base: string, path: string, err: unknown, timeoutMs: number): MlperfError {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new MlperfError('PROMETHEUS_TIMEOUT', `${base}${path} did not answer within ${timeoutMs} ms`, {
      hint: 'check the server is healthy, or raise the timeout',
      exitCode: ExitCode.unavailable,
    });
  }
  const code = e?.cause?.code ?? e?.cause?.message ?? errorMessage(err);
  return new MlperfError('PROMETHEUS_UNREACHABLE', `cannot reach ${base} (${code})`, {
    hint: 'check --prometheus-url / MLPERF_PROMETHEUS_URL, or leave it out to let mlperf start a private Prometheus',
    exitCode: ExitCode.unavailable,
  });
}
