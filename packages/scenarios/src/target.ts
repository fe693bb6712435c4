import http from 'node:http';
import https from 'node:https';
import { ExitCode, MlperfError } from '@mlperf/core';

/**
 * Checks that the FSPIOP endpoint answers HTTP at all (any status counts: ml-api-adapter answers
 * GET /health, a bare stub may answer 404). Fails with exit 3 before any load otherwise.
 */
export async function checkTarget(url: string, timeoutMs = 3000): Promise<void> {
  let u: URL;
  try {
    u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new MlperfError('TARGET_INVALID', `--target ${url}: not an http(s) URL`, {
      hint: 'pass the ml-api-adapter URL, e.g. --target http://ml-api-adapter:3000, or --target embedded',
    });
  }
  const transport = u.protocol === 'https:' ? https : http;
  const healthUrl = new URL(`${u.pathname.replace(/\/$/, '')}/health`, u);
  await new Promise<void>((resolve, reject) => {
    const req = transport.get(healthUrl, { timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve();
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        new MlperfError(
          'TARGET_UNREACHABLE',
          `--target ${url}: ${err.code ?? ''} ${err.message}`.replace(/\s+/g, ' ').trim(),
          {
            hint: 'start the hub or check the URL (the ml-api-adapter FSPIOP API); use --target embedded to run against the built-in hub',
            exitCode: ExitCode.unavailable,
            cause: err,
          },
        ),
      ),
    );
  });
}
