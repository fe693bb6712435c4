import { defineConfig } from 'vitest/config';
import { workspaceAliases } from './vitest.shared.js';

/** `pnpm test:mojaloop`: mlperf against the real switch in ../shared/real-mojaloop (not part of `pnpm test`). */
export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    name: 'mojaloop',
    include: ['apps/runner/test-mojaloop/**/*.test.ts'],
    globalSetup: ['apps/runner/test-mojaloop/global-setup.ts'],
    testTimeout: 900_000,
    hookTimeout: 1_200_000,
    fileParallelism: false,
  },
});
