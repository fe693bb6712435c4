import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(
  packageBuild({
    index: 'src/index.ts',
    'promql/index': 'src/promql/index.ts',
    'k6/index': 'src/k6/index.ts',
  }),
);
