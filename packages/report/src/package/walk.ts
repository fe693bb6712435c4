import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface TreeFile {
  /** Path inside the tree, `/`-separated. */
  rel: string;
  /** Where to read it (a symlink's target when the link stays inside the tree). */
  abs: string;
  mtime: Date;
}

export interface TreeWalk {
  files: TreeFile[];
  excluded: { path: string; reason: string }[];
}

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (!r.startsWith('..') && !r.startsWith(sep) && r !== '..');
}

/**
 * Every regular file under `root`, sorted by path. A symlink is followed only when its target stays
 * inside the tree; one that leaves it is excluded and reported.
 */
export function walkTree(root: string, skip: (abs: string) => boolean = () => false): TreeWalk {
  const realRoot = realpathSync(root);
  const out: TreeWalk = { files: [], excluded: [] };
  const visit = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const abs = join(dir, name);
      const rel = relative(root, abs).split(sep).join('/');
      const st = lstatSync(abs);
      let target = abs;
      if (st.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync(abs);
        } catch {
          out.excluded.push({ path: rel, reason: 'broken symlink' });
          continue;
        }
        if (!inside(realRoot, real)) {
          out.excluded.push({ path: rel, reason: 'symlink leaves the results tree' });
          continue;
        }
        if (statSync(real).isDirectory()) {
          out.excluded.push({
            path: rel,
            reason: 'symlink to a directory (its files are packaged where they are)',
          });
          continue;
        }
        target = real;
      } else if (st.isDirectory()) {
        visit(abs);
        continue;
      } else if (!st.isFile()) {
        out.excluded.push({ path: rel, reason: 'not a regular file' });
        continue;
      }
      if (skip(target)) continue;
      out.files.push({ rel, abs: target, mtime: statSync(target).mtime });
    }
  };
  visit(root);
  out.files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return out;
}
