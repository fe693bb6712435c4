/** Plain-text helpers for command output (no colour: output is read in logs and CI). */

export const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Up to `digits` decimals, no trailing zeros: 0.4 -> "0.4", 1033.2 -> "1,033.2". */
export const dec = (n: number, digits = 2): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits });

export const money = (n: number, currency: string): string =>
  `${currency} ${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** Left-aligned columns; `right` names columns aligned right (numbers). */
export function table(head: string[], rows: string[][], right: number[] = []): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `  ${cells
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')}`.trimEnd();
  return [line(head), ...rows.map(line)];
}
