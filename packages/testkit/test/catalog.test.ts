import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function manifests(): string[] {
  const dirs = ['packages', 'apps'].flatMap((d) => readdirSync(join(root, d)).map((p) => join(d, p)));
  return ['.', 'examples', ...dirs]
    .map((d) => join(d, 'package.json'))
    .filter((f) => {
      try {
        readFileSync(join(root, f));
        return true;
      } catch {
        return false;
      }
    });
}

describe('one version per dependency (pnpm catalog)', () => {
  it('every package.json takes its dependencies from the catalog or the workspace', () => {
    const pinned: string[] = [];
    for (const file of manifests()) {
      const pkg = JSON.parse(readFileSync(join(root, file), 'utf8'));
      for (const section of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
        for (const [name, spec] of Object.entries<string>(pkg[section] ?? {})) {
          if (spec !== 'catalog:' && !spec.startsWith('workspace:')) pinned.push(`${file}: ${name}@${spec}`);
        }
      }
    }
    expect(pinned, 'add the version to `catalog:` in pnpm-workspace.yaml and say `catalog:`').toEqual([]);
  });
});
