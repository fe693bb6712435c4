#!/usr/bin/env node
// Runs every package's benchmarks (bench/*.bench.ts) one after the other and prints their figures.
// Usage: pnpm bench [filter]   e.g. `pnpm bench hub` runs only files whose path contains "hub".
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2] ?? '';
const roots = ['packages', 'apps'];
const files = [];
for (const root of roots) {
  if (!existsSync(root)) continue;
  for (const pkg of readdirSync(root)) {
    const dir = join(root, pkg, 'bench');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) if (f.endsWith('.bench.ts')) files.push(join(dir, f));
  }
}
const selected = files.filter((f) => f.includes(filter)).sort();
if (selected.length === 0) {
  console.error(`no benchmark matches "${filter}"; available: ${files.join(', ') || 'none'}`);
  process.exit(2);
}
let failed = 0;
for (const file of selected) {
  console.log(`\n=== ${file}`);
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', file], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
