import { createHash, createHmac, randomBytes } from 'node:crypto';

/** A request the script made through the k6/http shim. */
export interface ShimRequest {
  method: string;
  url: string;
  body?: string;
  params: { headers?: Record<string, string>; tags?: Record<string, string>; timeout?: string };
}

export interface ShimResponse {
  status: number;
  body: string;
  error_code?: number;
}

/**
 * Runs a rendered k6 script's code in Node with small stand-ins for the k6 modules it imports
 * (k6/http answers through `respond`, k6/crypto is Node's crypto, metrics are recorded).
 * Only for checking the script's own logic; the k6 API itself is checked against @types/k6.
 */
export function loadK6Script(
  source: string,
  respond: (req: ShimRequest) => ShimResponse,
  env: Record<string, string> = {},
) {
  const requests: ShimRequest[] = [];
  const samples: { metric: string; value: number; tags: Record<string, string> }[] = [];
  const call = (
    method: string,
    url: string,
    body: string | undefined,
    params: ShimRequest['params'] = {},
  ) => {
    const req: ShimRequest = { method, url, params, ...(body === undefined ? {} : { body }) };
    requests.push(req);
    const r = respond(req);
    return { status: r.status, body: r.body, error_code: r.error_code ?? 0, timings: { duration: 1.5 } };
  };
  const http = {
    post: (url: string, body: string, params: ShimRequest['params']) => call('POST', url, body, params),
    get: (url: string, params: ShimRequest['params']) => call('GET', url, undefined, params),
  };
  const crypto = {
    randomBytes: (n: number) => {
      const b = randomBytes(n);
      return b.buffer.slice(b.byteOffset, b.byteOffset + n);
    },
    hmac: (alg: string, secret: string, input: string, enc: 'hex') =>
      createHmac(alg, secret).update(input).digest(enc),
    sha256: (input: ArrayBuffer, enc: string) => {
      if (enc !== 'hex') throw new Error(`shim: encoding ${enc}`);
      return createHash('sha256').update(Buffer.from(input)).digest('hex');
    },
  };
  const encoding = {
    b64encode: (input: ArrayBuffer, variant: string) => {
      if (variant !== 'rawurl') throw new Error(`shim: variant ${variant}`);
      return Buffer.from(input).toString('base64url');
    },
    b64decode: (input: string, variant: string) => {
      if (variant !== 'std') throw new Error(`shim: variant ${variant}`);
      const b = Buffer.from(input, 'base64');
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.length);
    },
  };
  const metric = (kind: string) =>
    class {
      name: string;
      constructor(name: string) {
        this.name = name;
      }
      add(value: number | boolean, tags: Record<string, string> = {}) {
        samples.push({ metric: this.name, value: Number(value), tags: { ...tags, kind } });
      }
    };
  const k6 = { sleep: () => undefined };
  const metrics = { Rate: metric('rate'), Trend: metric('trend') };
  const code = source
    .replace("import http from 'k6/http';", 'const http = __shims.http;')
    .replace("import crypto from 'k6/crypto';", 'const crypto = __shims.crypto;')
    .replace("import encoding from 'k6/encoding';", 'const encoding = __shims.encoding;')
    .replace("import { sleep } from 'k6';", 'const { sleep } = __shims.k6;')
    .replace("import { Rate, Trend } from 'k6/metrics';", 'const { Rate, Trend } = __shims.metrics;')
    .replace('export default function ()', 'function __default()')
    .replace(/^export (const|function) /gm, '$1 ');
  if (/^import /m.test(code))
    throw new Error('loadK6Script: the script imports a module the shim does not know');
  const exportsOf = new Function(
    '__shims',
    '__ENV',
    `${code}\nreturn { options, CONFIG, setup, handleSummary, iteration: __default, transferIdAt };`,
  );
  const mod = exportsOf({ http, crypto, encoding, k6, metrics }, env) as {
    options: Record<string, unknown>;
    CONFIG: Record<string, unknown>;
    setup: () => unknown;
    handleSummary: (data: object) => Record<string, string>;
    iteration: () => void;
    transferIdAt: (startMs: number) => string;
  };
  return { ...mod, requests, samples };
}
