import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));
const src = (p: string) => `${root}${p}`;

/** Workspace packages resolve to their sources in tests, so no build is needed first. */
export const workspaceAliases = [
  { find: /^@mlperf\/core\/promql$/, replacement: src('packages/core/src/promql/index.ts') },
  { find: /^@mlperf\/core\/k6$/, replacement: src('packages/core/src/k6/index.ts') },
  { find: /^@mlperf\/core$/, replacement: src('packages/core/src/index.ts') },
  { find: /^@mlperf\/scenarios$/, replacement: src('packages/scenarios/src/index.ts') },
  { find: /^@mlperf\/hub$/, replacement: src('packages/hub/src/index.ts') },
  { find: /^@mlperf\/analysis$/, replacement: src('packages/analysis/src/index.ts') },
  { find: /^@mlperf\/report$/, replacement: src('packages/report/src/index.ts') },
  { find: /^@mlperf\/cli$/, replacement: src('apps/runner/src/index.ts') },
  { find: /^@mlperf\/testkit\/synth$/, replacement: src('packages/testkit/src/synth/index.ts') },
  { find: /^@mlperf\/testkit\/runs$/, replacement: src('packages/testkit/src/runs/index.ts') },
  { find: /^@mlperf\/testkit$/, replacement: src('packages/testkit/src/index.ts') },
];

export function packageProject(name: string, extra: { testTimeout?: number } = {}) {
  return defineProject({
    resolve: { alias: workspaceAliases },
    test: {
      name,
      include: ['test/**/*.test.ts'],
      testTimeout: extra.testTimeout ?? 30_000,
      hookTimeout: 60_000,
    },
  });
}
