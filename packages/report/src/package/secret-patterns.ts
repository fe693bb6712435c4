/**
 * Shapes of real credentials. Each pattern matches a whole token (never half of one) and says how
 * to write it back: the name or scheme stays, the value becomes `[REDACTED]`.
 */

export const REDACTED = '[REDACTED]';

type Replace = (match: string, ...groups: string[]) => string;

/** A PEM private key, or what is left of one when the file was cut. */
const PEM =
  /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|[\s\S]*$)/g;

/** Values of names that say "secret": `X_TOKEN=...`, `"authHeader": "..."`, `password: ...`. */
const NAME =
  '[A-Za-z0-9_.-]*(?:key|token|secret|password|passwd|pwd|passphrase|credentials?|authorization|auth|authheader|cookie)';
const QUOTED = String.raw`"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'`;
const BARE = String.raw`(?:(?:bearer|basic|token|digest)\s+)?[^\s"',;}&{\[]+`;
const ASSIGNMENT = new RegExp(String.raw`(["']?)\b(${NAME})\1(\s*[:=]\s*)(${QUOTED}|${BARE})`, 'gi');

/** A name is secret when it ends in one of these words (camelCase, snake, kebab or run together). */
const SECRET_NAME =
  /(?:key|token|secret|password|passwd|pwd|passphrase|credentials?|auth|authorization|authheader|cookie)$/i;
/** Names that end like a secret but are not one (`PWD` is the working directory). */
const NOT_SECRET_NAME =
  /^(?:key|monkey|hotkey|sortkey|partitionkey|primarykey|foreignkey|idempotencykey|pwd|oldpwd)$/i;

export function isSecretName(name: string): boolean {
  const n = name.replace(/[-_.]/g, '');
  return SECRET_NAME.test(n) && !NOT_SECRET_NAME.test(n);
}

function assignment(m: string, q: string, name: string, sep: string, value: string): string {
  if (!isSecretName(name)) return m;
  if (/^(?:null|true|false|-?\d{1,5}(?:\.\d+)?|""|''|bearer|basic|token|digest)$/i.test(value)) return m;
  if (value.includes(REDACTED)) return m;
  const open = value.startsWith('"') || value.startsWith("'") ? (value[0] as string) : '';
  const scheme = /^["']?((?:bearer|basic|token|digest)\s+)/i.exec(value)?.[1] ?? '';
  return `${q}${name}${q}${sep}${open}${scheme}${REDACTED}${open}`;
}

/** `Basic <base64 of user:password>`: only when it really decodes to a credential. */
function basic(m: string, scheme: string, b64: string): string {
  const decoded = Buffer.from(b64, 'base64').toString('utf8');
  return /^[\x20-\x7e]+:[\x20-\x7e]*$/.test(decoded) ? `${scheme}${REDACTED}` : m;
}

export const PATTERNS: [RegExp, string | Replace][] = [
  [PEM, (_m, kind: string) => `-----${REDACTED} ${kind}PRIVATE KEY-----`],
  // Tokens recognisable by their shape, wherever they are.
  [/\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, REDACTED],
  [/\bgl(?:sa|c)_[A-Za-z0-9_+/=-]{8,}/g, REDACTED],
  [/\beyJ[A-Za-z0-9_+/-]{8,}={0,2}(?:\.[A-Za-z0-9_+/-]*={0,2}){0,2}/g, REDACTED],
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b/g, REDACTED],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\bnpm_[A-Za-z0-9]{30,}/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{30,}/g, REDACTED],
  [/\b[rs]k_(?:live|test)_[0-9A-Za-z]{16,}/g, REDACTED],
  // Authorization schemes anywhere: a header, a JSON value, a line of its own.
  [/\b(bearer\s+)(?!\[REDACTED\])[A-Za-z0-9\-._~+/]+=*/gi, (_m, scheme: string) => `${scheme}${REDACTED}`],
  [/\b(basic\s+)([A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])/gi, basic as Replace],
  // Credentials in URLs: scheme://user:password@host.
  [
    /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@:"'<>]+:[^\s/@"'<>]*@/gi,
    (_m, scheme: string) => `${scheme}${REDACTED}@`,
  ],
  // Variables and fields whose names say secret.
  [ASSIGNMENT, assignment as Replace],
];

/** Environment variables whose values must never leave, whatever the file. */
export const SECRET_ENV = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL/i;
