/** Number formatting shared by every report page. */

export function fmtInt(n: number | undefined): string {
  return n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US');
}

export function fmtNumber(n: number | undefined, digits = 1): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function fmtPercent(ratio: number | undefined, digits = 3): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${+(ratio * 100).toFixed(digits)}%`;
}

export function fmtBytes(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${n < 0 ? '-' : ''}${+v.toFixed(1)} ${units[i]}`;
}

export function fmtDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', r || (!h && !m) ? `${r}s` : ''].join('');
}

/** A value in its unit: `ratio` as percent, `bytes` binary, `ms`, `tps`, anything else verbatim. */
export function fmtValue(value: number | undefined, unit: string | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'ratio':
    case 'fraction':
      return fmtPercent(value);
    case '%':
    case 'percent':
      return `${fmtNumber(value, 2)}%`;
    case 'bytes':
      return fmtBytes(value);
    case 'bytes/h':
      return `${fmtBytes(value)}/h`;
    case 'ratio/h':
      return `${fmtPercent(value)}/h`;
    case 'achieved/offered':
      return `${fmtPercent(value)} of offered`;
    case 'ms':
      return `${fmtNumber(value, 1)} ms`;
    case 's':
      return fmtDuration(value);
    case 'tps':
    case 'TPS':
      return `${fmtNumber(value, 1)} TPS`;
    case undefined:
    case '':
      return fmtNumber(value, 3);
    default:
      return `${fmtNumber(value, 3)} ${unit}`;
  }
}

export function fmtTime(ms: number | string | undefined): string {
  if (ms === undefined) return '—';
  const d = new Date(ms);
  return Number.isNaN(d.getTime())
    ? String(ms)
    : d
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

/** A test's p-value as a reader wants it: `p < 0.001` rather than `p = 0.0`. */
export function fmtP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toPrecision(2)}`;
}
