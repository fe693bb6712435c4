import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(
  packageBuild({ index: 'src/index.ts', 'engine-worker': 'src/engine/engine-worker.ts' }),
);
