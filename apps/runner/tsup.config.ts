import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig(
  packageBuild({ cli: 'src/cli.ts', index: 'src/index.ts' }, { banner: { js: '#!/usr/bin/env node' } }),
);
