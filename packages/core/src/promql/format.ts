import type { Diagnostic } from './types.js';

/**
 * A diagnostic as text: the query line it is on, a caret line under the position, the message
 * and the hint.
 *
 *   rate(x[1m]) by (job)
 *               ^^^^^^^^
 *   error[grouping-outside-aggregation]: ...
 *     hint: ...
 */
export function formatDiagnostic(q: string, d: Diagnostic, indent = ''): string {
  const lineStart = q.lastIndexOf('\n', Math.max(0, d.from - 1)) + 1;
  const nl = q.indexOf('\n', d.from);
  const lineEnd = nl === -1 ? q.length : nl;
  const line = q.slice(lineStart, lineEnd);
  const lineNo = q.slice(0, lineStart).split('\n').length;
  const col = d.from - lineStart;
  const width = Math.max(1, Math.min(d.to, lineEnd) - d.from);
  const where = q.includes('\n') ? ` (line ${lineNo}, column ${col + 1})` : ` (column ${col + 1})`;
  return [
    `${indent}${line}`,
    `${indent}${' '.repeat(col)}${'^'.repeat(width)}`,
    `${indent}${d.severity}[${d.rule}]${where}: ${d.message}`,
    `${indent}  hint: ${d.hint}`,
  ].join('\n');
}
