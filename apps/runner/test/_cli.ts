import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { run } from '../src/main.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `mlperf <argv>` in-process from the repository root, capturing what it prints. */
export async function cli(...argv: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.join(' '));
  });
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    err.push(a.join(' '));
  });
  const cwd = process.cwd();
  process.chdir(repoRoot);
  try {
    const code = await run(argv);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    process.chdir(cwd);
    log.mockRestore();
    error.mockRestore();
  }
}

/**
 * `--target`, `--admin-url` of a hub taken as a real one (by URL), and a free callback port: the
 * default (4040, which real hubs cache) is not a test's to take.
 */
export function hubUrlArgs(hub: { url: string; adminUrl: string }): string[] {
  return ['--target', hub.url, '--admin-url', hub.adminUrl, '--callback-port', '0'];
}
