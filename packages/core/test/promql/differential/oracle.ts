// promtool as the oracle: many expressions per rules file, one recording rule each, and the
// per-rule parse errors read back from `promtool check rules`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PROMTOOL = process.env.MLPERF_PROMTOOL_BIN ?? '/usr/bin/promtool';

/** promtool's version (`2.42.0+ds`), or undefined when it cannot run. */
export function promtoolVersion(bin = PROMTOOL): string | undefined {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return /version (\S+)/.exec(`${r.stdout}${r.stderr}`)?.[1];
}

export interface OracleVerdict {
  ok: boolean;
  /** promtool's message for a rejected expression. */
  error?: string;
}

/** promtool's verdict on each of `queries` (same order), in batches of `batch` rules per file. */
export function promtoolVerdicts(queries: readonly string[], batch = 1000, bin = PROMTOOL): OracleVerdict[] {
  const dir = mkdtempSync(join(tmpdir(), 'mlperf-promtool-'));
  try {
    const out: OracleVerdict[] = [];
    for (let start = 0; start < queries.length; start += batch) {
      out.push(...checkBatch(queries.slice(start, start + batch), join(dir, `rules-${start}.yml`), bin));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function checkBatch(queries: readonly string[], file: string, bin: string): OracleVerdict[] {
  const rules = queries.map((q, i) => `      - record: r${i}\n        expr: ${JSON.stringify(q)}\n`);
  writeFileSync(file, `groups:\n  - name: differential\n    rules:\n${rules.join('')}`);
  const r = spawnSync(bin, ['check', 'rules', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const text = `${r.stdout}${r.stderr}`;
  const verdicts: OracleVerdict[] = queries.map(() => ({ ok: true }));
  const marker = /group "differential", rule \d+, "r(\d+)": /g;
  const hits = [...text.matchAll(marker)];
  if (r.status !== 0 && hits.length === 0)
    throw new Error(`promtool failed on ${file}: ${text.slice(0, 2000)}`);
  hits.forEach((m, k) => {
    const end = hits[k + 1]?.index ?? text.length;
    const message =
      text
        .slice((m.index ?? 0) + m[0].length, end)
        .split(/\n[^ \n]*\.yml: /)[0]
        ?.trim() ?? '';
    verdicts[Number(m[1])] = { ok: false, error: message };
  });
  return verdicts;
}
