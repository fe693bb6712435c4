import { ExitCode, MlperfError } from '@mlperf/core';

/** Files that are credentials by their name: a package refuses them rather than guess. */
const SECRET_FILE =
  /(^|\/)(\.env(\..*)?|\.npmrc|\.netrc|id_rsa[^/]*|id_ed25519[^/]*|[^/]*\.pem|[^/]*\.key|[^/]*\.p12|[^/]*kubeconfig[^/]*|credentials[^/]*)$/i;
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

const REDACTED = '[REDACTED]';

/** Token shapes scrubbed from text files (logs, JSON): the key name stays, the value goes. */
const PATTERNS: [RegExp, string | ((...m: string[]) => string)][] = [
  [
    /\b(authorization|proxy-authorization|x-api-key)(["']?\s*[:=]\s*["']?)(?:(bearer|basic|token)\s+)?[^\s"',}]+/gi,
    (_m, k, sep, scheme) => `${k}${sep}${scheme ? `${scheme} ` : ''}${REDACTED}`,
  ],
  [
    /\b(password|passwd|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|token)(["']?\s*[:=]\s*["']?)(?!\[REDACTED\])[^\s"',}&]+/gi,
    (_m, k, sep) => `${k}${sep}${REDACTED}`,
  ],
  [/\bglsa_[A-Za-z0-9_]{8,}/g, REDACTED],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\bAKIA[0-9A-Z]{16}\b/g, REDACTED],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:"']+:[^\s/@"']+@/gi, (_m, scheme) => `${scheme}${REDACTED}@`],
];

/** Environment variables whose values must never appear in a package, whatever the file. */
const SECRET_ENV = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL/i;

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

/**
 * Scrubs tokens from a text file; refuses a private key outright. Returns the text to package and
 * how many values were redacted.
 */
export function scrubText(
  path: string,
  text: string,
  env: NodeJS.ProcessEnv = process.env,
): { text: string; redactions: number } {
  if (PRIVATE_KEY.test(text)) {
    throw new MlperfError('PACKAGE_SECRET_FILE', `${path}: contains a private key; refusing to package it`, {
      hint: 'remove the key from the file or the file from the results directory, then package again',
      exitCode: ExitCode.badInput,
    });
  }
  let redactions = 0;
  let out = text;
  for (const [re, rep] of PATTERNS) {
    out = out.replace(re, (...m: string[]) => {
      redactions++;
      return typeof rep === 'string' ? rep : rep(...m);
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
