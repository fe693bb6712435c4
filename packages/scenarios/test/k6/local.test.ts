import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HubHandle, startHub } from '@mlperf/hub';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readResults, resolveProfile } from '@mlperf/core';
import { findK6, runTestWithK6, standardSuite } from '@mlperf/scenarios';
import { requireK6 } from '../../src/k6/binary.js';

const k6 = findK6();
const NO_K6 = 'skipped: no k6 binary (set MLPERF_K6 or put k6 on PATH)';
const suite = resolveProfile(standardSuite(), { profile: 'quick' });
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mlperf-k6-local-'));
  cleanups.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
};

describe('local k6 executor', () => {
  it('finds k6 on PATH or MLPERF_K6, and says how to get it when absent', () => {
    const empty = tmp();
    expect(findK6(undefined, { PATH: empty })).toBeUndefined();
    expect(findK6(undefined, { PATH: empty, MLPERF_K6: process.execPath })).toBe(process.execPath);
    expect(() => requireK6(undefined, { PATH: empty })).toThrow('no k6 binary on PATH');
    try {
      requireK6('/nowhere/k6', {});
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({
        code: 'K6_NOT_FOUND',
        exitCode: 3,
        message: 'k6 binary /nowhere/k6 does not exist or is not executable',
      });
    }
  });
});

describe.skipIf(!k6)(`local k6 executor with the real k6 ${k6 ?? `(${NO_K6})`}`, () => {
  let hub: HubHandle;
  beforeAll(async () => {
    hub = await startHub({ profile: 'healthy' });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('a k6 failure (unknown flag) is exit 3 and the run ends failed, saying why', async () => {
    const dir = tmp();
    await expect(
      runTestWithK6({
        suite,
        testId: 'baseline-100tps',
        outDir: dir,
        hubUrl: hub.url,
        adminUrl: hub.adminUrl,
        k6Args: ['--no-such-k6-flag'],
        env: { MLPERF_HUB_AUTHORIZATION: 'Bearer very-secret' },
      }),
    ).rejects.toMatchObject({ code: 'K6_FAILED', exitCode: 3 });
    const [run] = readdirSync(dir);
    const manifest = readFileSync(join(dir, run ?? '', 'run.json'), 'utf8');
    expect(JSON.parse(manifest)).toMatchObject({
      status: 'failed',
      statusReason: expect.stringContaining('no-such-k6-flag'),
    });
    expect(manifest).not.toContain('very-secret');
  }, 60_000);

  it('Ctrl-C stops k6 with SIGINT, keeps what it wrote, and ends the run aborted', async () => {
    const dir = tmp();
    const ctl = new AbortController();
    const r = runTestWithK6({
      suite,
      testId: 'baseline-100tps',
      outDir: dir,
      hubUrl: hub.url,
      adminUrl: hub.adminUrl,
      signal: ctl.signal,
      onEvent: (m) => {
        if (m.startsWith('k6 run')) setTimeout(() => ctl.abort(), 3000);
      },
    });
    const result = await r;
    expect(result.status).toBe('aborted');
    const d = readResults(result.dir);
    expect(d.manifest.status).toBe('aborted');
    expect(d.logs).toContain('k6.log');
  }, 90_000);
});
