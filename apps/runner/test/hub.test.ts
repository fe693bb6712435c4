import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../src/main.js';
import { cli } from './_cli.js';

// Starting the hub's process takes seconds on a loaded machine: the waits below allow for it.
vi.setConfig({ testTimeout: 180_000 });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlperf-hub-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Starts `mlperf hub ...` in-process, waits for its URLs, runs `use`, then sends SIGINT. */
async function withHub(
  argv: string[],
  use: (out: string[]) => Promise<void>,
): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out.push(a.join(' '));
  });
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  const done = run(['hub', ...argv]);
  try {
    try {
      await vi.waitFor(() => expect(out).toContain('Ctrl-C to stop'), { timeout: 60_000, interval: 20 });
      await use(out);
    } finally {
      // Stop the hub even when the test failed, so the next test does not talk to it.
      const listening = vi.waitFor(() => expect(process.listenerCount('SIGINT')).toBeGreaterThan(0), 60_000);
      await Promise.race([listening, done]).catch(() => {});
      process.emit('SIGINT');
    }
    const code = await done;
    return { code, out: out.join('\n').replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe('mlperf hub', () => {
  it('prints its URLs, serves FSPIOP and admin, and stops on Ctrl-C', async () => {
    const r = await withHub(
      ['--port', '0', '--profile', 'kafka-lag', '--set', 'dbPool.size=9'],
      async (out) => {
        const admin = /admin \(central-ledger\)\s+(\S+)/.exec(out.join('\n'))?.[1];
        const health = await fetch(`${admin}/health`);
        expect(health.status).toBe(200);
        const profile = (await (await fetch(`${admin}/admin/profile`)).json()) as {
          knobs: { dbPool: { size: number }; stages: { position: { partitions: number } } };
        };
        expect(profile.knobs.dbPool.size).toBe(9);
        expect(profile.knobs.stages.position.partitions).toBe(1);
      },
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatchInlineSnapshot(`
      "mlperf hub: profile kafka-lag, 8 DFSPs
        FSPIOP (ml-api-adapter)  http://127.0.0.1:<port>
        admin (central-ledger)   http://127.0.0.1:<port>
        metrics                  http://127.0.0.1:<port>/metrics
        health                   http://127.0.0.1:<port>/health
        cause shows in           sum by (topic) (kafka_consumergroup_lag{topic="topic-transfer-position"}) growing
      Ctrl-C to stop
      mlperf hub: stopped (SIGINT)"
    `);
  });

  it('loads DFSPs from a { dfsps } JSON file', async () => {
    const file = join(dir, 'dfsps.json');
    const dfsps = [
      { id: 'a', currency: 'USD', initialPosition: 0, liquidity: 100, netDebitCap: 100 },
      { id: 'b', currency: 'USD', initialPosition: 0, liquidity: 0, netDebitCap: 0 },
    ];
    await writeFile(file, JSON.stringify({ dfsps }));
    const r = await withHub(['--port', '0', '--dfsps', file], async (out) => {
      const admin = /admin \(central-ledger\)\s+(\S+)/.exec(out.join('\n'))?.[1];
      const list = (await (await fetch(`${admin}/participants`)).json()) as { name: string }[];
      expect(list.map((p) => p.name)).toEqual(['a', 'b']);
    });
    expect(r.out).toMatch(/profile healthy, 2 DFSPs/);
  });

  it('rejects an unknown profile, a bad port and bad knobs with exit 2', async () => {
    const bad = await cli('hub', '--profile', 'slow');
    expect([bad.code, bad.stderr]).toMatchInlineSnapshot(`
      [
        2,
        "USAGE: --profile slow: unknown hub profile
        hint: use one of: healthy, db-pool-exhausted, kafka-lag, cpu-throttled, memory-leak, flaky",
      ]
    `);
    const port = await cli('hub', '--port', 'http');
    expect([port.code, port.stderr]).toMatchInlineSnapshot(`
      [
        2,
        "USAGE: --port http: not a port number
        hint: use 0..65535; 0 picks a free port",
      ]
    `);
    const knob = await cli('hub', '--port', '0', '--set', 'dbPool.sise=3');
    expect([knob.code, knob.stderr]).toMatchInlineSnapshot(`
      [
        2,
        "HUB_KNOB_INVALID: knobs.dbPool.sise: unknown knob; knobs.dbPool has size, queryTimeMs, acquireTimeoutMs
        hint: see the knobs table in the @mlperf/hub README",
      ]
    `);
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ dfsps: [{ id: 'a' }] }));
    const dfsps = await cli('hub', '--port', '0', '--dfsps', file);
    expect(dfsps.code).toBe(2);
    expect(dfsps.stderr).toMatch(/HUB_DFSPS_INVALID: .*bad.json: dfsps: \[0\].currency must be like USD/);
  });
});
