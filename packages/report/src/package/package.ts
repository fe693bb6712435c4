import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { ExitCode, errorMessage, MlperfError } from '@mlperf/core';
import { TarArchive } from 'archiver';
import { isBinary, refuseSecretFile, scrubText } from './secrets.js';
import { walkTree } from './walk.js';
import { packageInputs, packageOutput, safeMemberPath } from './inputs.js';

const MANIFEST_JSON = 'manifest.json';
export const MANIFEST_SHA256 = 'MANIFEST.sha256';

export interface PackageEntry {
  path: string;
  bytes: number;
  sha256: string;
}

export interface PackageResult {
  output: string;
  bytes: number;
  entries: PackageEntry[];
  excluded: { path: string; reason: string }[];
  /** Text files in which secrets were redacted, with the number of redactions. */
  scrubbed: { path: string; redactions: number }[];
}

/** Written by the writer or interrupted atomic writes: never evidence. */
const JUNK = /(^|\/)(\.write-probe|[^/]*\.tmp-\d+)$/;

function sha256(buf: Buffer | string): string {
  return createHash('sha256').update(buf).digest('hex');
}

/**
 * Packages results or suite directories into one tar.gz: entries sorted by path under
 * `<dir name>/` (names made safe: nothing extracts outside it), a `MANIFEST.sha256` (sha256sum -c
 * format, the same names) and a `manifest.json` first, secrets scrubbed from text, credential files
 * refused, symlinks leaving a tree excluded. Only results and suite directories are accepted; the
 * output may not lie inside one, nor replace a file without `force`. The archive is written to a
 * temporary file and renamed, so a failed run never leaves half an archive.
 */
export async function packageResults(
  dirs: string[],
  output: string,
  options: { now?: Date; force?: boolean } = {},
): Promise<PackageResult> {
  const roots = packageInputs(dirs);
  const out = packageOutput(output, roots.values(), options.force === true);
  const tmp = `${out}.tmp-${process.pid}`;

  const files: { path: string; data: Buffer; mtime: Date }[] = [];
  const excluded: PackageResult['excluded'] = [];
  const scrubbed: PackageResult['scrubbed'] = [];
  const seen = new Set<string>();
  for (const [name, root] of [...roots].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const walk = walkTree(root);
    excluded.push(
      ...walk.excluded.map((e) => ({ path: `${name}/${safeMemberPath(e.path)}`, reason: e.reason })),
    );
    for (const f of walk.files) {
      const path = `${name}/${safeMemberPath(f.rel)}`;
      if (JUNK.test(path)) continue;
      if (seen.has(path)) {
        throw new MlperfError(
          'PACKAGE_NAME_CLASH',
          `${root}/${f.rel}: its safe name ${path} is taken by another file`,
          {
            hint: 'rename the file (backslashes and control characters in file names become "_")',
          },
        );
      }
      seen.add(path);
      refuseSecretFile(path);
      let data = readFileSync(f.abs);
      if (!isBinary(data)) {
        const s = scrubText(path, data.toString('utf8'));
        if (s.redactions > 0) {
          scrubbed.push({ path, redactions: s.redactions });
          data = Buffer.from(s.text, 'utf8');
        }
      }
      files.push({ path, data, mtime: f.mtime });
    }
  }
  const entries = files.map((f) => ({ path: f.path, bytes: f.data.length, sha256: sha256(f.data) }));
  const now = options.now ?? new Date();
  const manifestJson = `${JSON.stringify({ kind: 'mlperf-package', schemaVersion: 1, createdAt: now.toISOString(), inputs: [...roots.keys()].sort(), entries, excluded, scrubbed }, null, 2)}\n`;
  const sums = entries.map((e) => `${e.sha256}  ${e.path}`).join('\n') + (entries.length ? '\n' : '');

  const archive = new TarArchive({ gzip: true, gzipOptions: { level: 9 } });
  const sink = createWriteStream(tmp);
  const done = new Promise<void>((res, rej) => {
    sink.on('close', () => res());
    sink.on('error', rej);
    archive.on('error', rej);
  });
  archive.pipe(sink);
  try {
    archive.append(manifestJson, { name: MANIFEST_JSON, date: now, mode: 0o644 });
    archive.append(sums, { name: MANIFEST_SHA256, date: now, mode: 0o644 });
    for (const f of files) archive.append(f.data, { name: f.path, date: f.mtime, mode: 0o644 });
    await archive.finalize();
    await done;
    renameSync(tmp, out);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new MlperfError('PACKAGE_WRITE_FAILED', `--output ${output}: ${errorMessage(err)}`, {
      hint: 'check free space and permissions of the output directory',
      exitCode: ExitCode.badInput,
      cause: err,
    });
  }
  return { output: out, bytes: statSync(out).size, entries, excluded, scrubbed };
}
