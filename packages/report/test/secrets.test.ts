import { describe, expect, it } from 'vitest';
import { scrubText } from '../src/package/secrets.js';

const scrub = (text: string) => scrubText('probe.log', text, {}).text;

/** [input, the secret that must be gone, what the line becomes]. */
const CASES: [string, string, string][] = [
  ['Bearer abc123', 'abc123', 'Bearer [REDACTED]'],
  ['  bearer abc.def-ghi~x', 'abc.def', '  bearer [REDACTED]'],
  ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpw', 'Authorization: Basic [REDACTED]'],
  ['aws_secret_access_key=wJalrXUtnFEMI/K7MDENG', 'wJalr', 'aws_secret_access_key=[REDACTED]'],
  ['export AWS_SECRET_ACCESS_KEY="wJalr XUtnFEMI"', 'XUtnFEMI', 'export AWS_SECRET_ACCESS_KEY="[REDACTED]"'],
  ['key id AKIAIOSFODNN7EXAMPLE ok', 'AKIAIOSFODNN7', 'key id [REDACTED] ok'],
  ['git ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_', 'git [REDACTED]'],
  ['github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', 'github_pat', '[REDACTED]'],
  ['MLPERF_GRAFANA_API_KEY=eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFs', 'eyJr', 'MLPERF_GRAFANA_API_KEY=[REDACTED]'],
  ['grafana glsa_abcdefghijklmnop_12345678', 'glsa_', 'grafana [REDACTED]'],
  ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtbHBlcmYifQ.c2lnbmF0dXJl', 'eyJzdWIi', 'jwt [REDACTED]'],
  ['{"authHeader": "Bearer abc123"}', 'abc123', '{"authHeader": "Bearer [REDACTED]"}'],
  ['{"token":"Bearer abc123"}', 'abc123', '{"token":"Bearer [REDACTED]"}'],
  ['{"clientSecret":"s3cr\\"et x"}', 's3cr', '{"clientSecret":"[REDACTED]"}'],
  ['DB_PASSWORD=hunter2 next', 'hunter2', 'DB_PASSWORD=[REDACTED] next'],
  ["password: 'it''s secret'", 'secret', "password: '[REDACTED]'"],
  ['GITHUB_TOKEN=abcdef123', 'abcdef123', 'GITHUB_TOKEN=[REDACTED]'],
  ['fetch https://admin:hunter22@grafana:3000/api', 'hunter22', 'fetch https://[REDACTED]@grafana:3000/api'],
  [
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----\nnext',
    'MIIEabc',
    '-----[REDACTED] RSA PRIVATE KEY-----\nnext',
  ],
  ['-----BEGIN PRIVATE KEY-----\nMIIEcut', 'MIIEcut', '-----[REDACTED] PRIVATE KEY-----'],
];

describe('the secret scrubber', () => {
  it.each(CASES)('%j', (input, secret, expected) => {
    const out = scrub(input);
    expect(out).not.toContain(secret);
    expect(out).toBe(expected);
  });

  it('leaves inline data: images alone (their base64 can look like a JWT or a key) and scrubs beside them', () => {
    const png =
      'data:image/png;base64,iVBORw0KGgo+/eyJhbGciOiJIUzI1NiJ9AAAA/AKIAABCDEFGHIJKLMNOP+ghp_abcdefghijklmnopqrstuvwxyz==';
    const html = `<img src="${png}"><p>Authorization: Bearer abc123def456</p><img src='${png}'>`;
    const r = scrubText('analysis-report.html', html, {});
    expect(r.text).toBe(`<img src="${png}"><p>Authorization: Bearer [REDACTED]</p><img src='${png}'>`);
    expect(r.redactions).toBe(1);
  });

  it('leaves ordinary text, counts and directories alone', () => {
    const text = 'a basic understanding; PWD=/home/x "tokenCount": 3 "maxKey": 5 "apiKey": null token bucket';
    expect(scrubText('x', text, {})).toEqual({ text, redactions: 0 });
  });

  it('never leaves half a token: every redaction covers the whole value', () => {
    for (const [input] of CASES) {
      const out = scrub(input);
      expect(out.replaceAll('[REDACTED]', '')).not.toMatch(/REDACTED|\[REDACT|DACTED\]/);
      expect(out).not.toMatch(/\[REDACTED\][A-Za-z0-9/+=_-]/);
    }
  });

  it('redacts the values of secret-named environment variables wherever they appear', () => {
    const s = scrubText('y', 'value is supersecretvalue here', { MY_TOKEN: 'supersecretvalue' });
    expect(s).toEqual({ text: 'value is [REDACTED] here', redactions: 1 });
  });
});
