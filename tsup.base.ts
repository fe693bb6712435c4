import type { Options } from 'tsup';

/** Shared tsup settings: ESM, d.ts, Node 20, workspace deps external. */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}): Options {
  return {
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    ...extra,
  };
}
