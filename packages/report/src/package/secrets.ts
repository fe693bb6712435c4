import { ExitCode, MlperfError } from '@mlperf/core';
import { PATTERNS, REDACTED, SECRET_ENV } from './secret-patterns.js';

/** Files that are credentials by their name: a package refuses them rather than guess. */
const SECRET_FILE =
  /(^|\/)(\.env(\..*)?|\.npmrc|\.netrc|\.pgpass|id_rsa[^/]*|id_ed25519[^/]*|id_ecdsa[^/]*|[^/]*\.pem|[^/]*\.key|[^/]*\.p12|[^/]*\.pfx|[^/]*kubeconfig[^/]*|credentials[^/]*)$/i;

export function refuseSecretFile(path: string): void {
  if (SECRET_FILE.test(path)) {
    throw new MlperfError(
      'PACKAGE_SECRET_FILE',
      `${path}: looks like a credentials file; refusing to package it`,
      {
        hint: 'remove it from the results directory (results never need credentials), then package again',
        exitCode: ExitCode.badInput,
      },
    );
  }
}

/** True for content that looks binary (a NUL byte early on): PNGs, gzip. */
export function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

/** Inline images and fonts (`data:...;base64,...`): their base64 can look like a token by chance. */
const DATA_URI = /data:[\w.+-]+\/[\w.+-]+(?:;[\w.+-]+=[\w.+-]+)*;base64,[A-Za-z0-9+/]+=*/g;

/**
 * The one scrubber for text that leaves mlperf (`package`, `collect --logs`): every credential shape
 * in ./secret-patterns.ts, then the values of secret-named environment variables wherever they
 * appear, outside inline `data:` URIs (a report's embedded PNGs are binary, not credentials).
 * Returns the text and how many values were redacted.
 */
export function scrubText(
  _path: string,
  text: string,
  env: NodeJS.ProcessEnv = process.env,
): { text: string; redactions: number } {
  const uris = text.match(DATA_URI);
  if (!uris) return scrubPlain(text, env);
  const parts = text.split(DATA_URI).map((part) => scrubPlain(part, env));
  return {
    text: parts.map((p, i) => p.text + (uris[i] ?? '')).join(''),
    redactions: parts.reduce((a, p) => a + p.redactions, 0),
  };
}

function scrubPlain(text: string, env: NodeJS.ProcessEnv): { text: string; redactions: number } {
  let redactions = 0;
  let out = text;
  for (const [re, rep] of PATTERNS) {
    out = out.replace(re, (match: string, ...groups: string[]) => {
      const next = typeof rep === 'string' ? rep : rep(match, ...groups);
      if (next !== match) redactions++;
      return next;
    });
  }
  for (const [name, value] of Object.entries(env)) {
    if (!value || value.length < 8 || !SECRET_ENV.test(name)) continue;
    const parts = out.split(value);
    if (parts.length > 1) {
      redactions += parts.length - 1;
      out = parts.join(REDACTED);
    }
  }
  return { text: out, redactions };
}
