import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const require = createRequire(import.meta.url);

/** Where each checked @types/k6 version lives: the current one and the one of the k6 v0.45 fixtures. */
export const K6_TYPES = {
  current: dirname(require.resolve('@types/k6/package.json')),
  'v0.45': dirname(require.resolve('k6-types-045/package.json')),
} as const;

/**
 * Type-checks a k6 script (plain JS, checkJs) against one @types/k6 version: `k6` and `k6/*` are
 * mapped to that declaration package. Returns the diagnostics as `line:col message` strings.
 */
export function typecheckK6Script(source: string, typesDir: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'mlperf-k6-tsc-'));
  try {
    const file = join(dir, 'script.js');
    writeFileSync(file, source);
    const program = ts.createProgram([file, join(typesDir, 'index.d.ts')], {
      allowJs: true,
      checkJs: true,
      noEmit: true,
      strict: true,
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      lib: ['lib.es2020.d.ts'],
      types: [],
      baseUrl: dir,
      paths: { k6: [join(typesDir, 'index.d.ts')], 'k6/*': [join(typesDir, '*')] },
    });
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return msg;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${d.file.fileName === file ? 'script.js' : d.file.fileName}:${line + 1}:${character + 1} ${msg}`;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
