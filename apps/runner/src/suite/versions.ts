import type { OpenTarget } from './target.js';

/**
 * The versions the target's services report on /health (Mojaloop's `versionNumber`), as
 * `hub:<service>` entries for run.json; the embedded simulator as one `hub:simulator` entry.
 * A service that does not answer is left out: the report then says no version was reported.
 */
export async function hubVersions(target: OpenTarget, timeoutMs = 3000): Promise<Record<string, string>> {
  const found = await Promise.all(
    target.check.health.map(async (h) => {
      try {
        const res = await fetch(h.url, { signal: AbortSignal.timeout(timeoutMs) });
        const body = (await res.json()) as { versionNumber?: unknown };
        return typeof body.versionNumber === 'string'
          ? ([h.service, body.versionNumber] as const)
          : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  const versions = found.filter((v): v is readonly [string, string] => v !== undefined);
  if (target.kind === 'embedded') {
    const v = versions[0]?.[1];
    return v ? { 'hub:simulator': `mlperf-hub ${v}` } : {};
  }
  return Object.fromEntries(versions.map(([s, v]) => [`hub:${s}`, v]));
}
