import { spawn } from 'node:child_process';
import { HostCpuSampler, parseProcStat } from '../src/engine/host-cpu.js';
import { afterEach, describe, expect, it } from 'vitest';

const STAT = (user: number, idle: number, iowait = 0, steal = 0) =>
  `cpu  ${user} 0 0 ${idle} ${iowait} 0 0 ${steal} 0 0\ncpu0 1 0 0 1 0 0 0 0 0 0\ncpu1 1 0 0 1 0 0 0 0 0 0\nintr 1\n`;

describe('host CPU from /proc/stat deltas', () => {
  it('turns tick deltas into fractions of all cores', () => {
    const texts = [STAT(100, 100), STAT(250, 130, 10, 10)];
    const s = new HostCpuSampler(() => texts.shift() ?? '');
    // deltas: busy 150 + steal 10 = 160, idle 30, iowait 10: total 200
    expect(s.sample()).toEqual({ cores: 2, busy: 0.8, iowait: 0.05, steal: 0.05 });
  });

  it('is absent where /proc/stat is not readable or not understood', () => {
    expect(parseProcStat('garbage')).toBeUndefined();
    const s = new HostCpuSampler(() => {
      throw new Error('ENOENT');
    });
    expect(s.sample()).toBeUndefined();
  });

  let hog: ReturnType<typeof spawn> | undefined;
  afterEach(() => {
    if (hog?.pid) process.kill(hog.pid);
    hog = undefined;
  });

  it.skipIf(process.platform !== 'linux')('sees a busy-looping process on the real host', async () => {
    const s = new HostCpuSampler();
    // bounded: the hog ends itself after 20 s even if this test dies; killed by pid afterwards
    hog = spawn(process.execPath, ['-e', 'const end = Date.now() + 20000; while (Date.now() < end) {}'], {
      stdio: 'ignore',
    });
    await expect
      .poll(
        async () => {
          await new Promise((r) => setTimeout(r, 300));
          const h = s.sample();
          return h ? h.busy * h.cores : 0;
        },
        { timeout: 15_000, interval: 10 },
      )
      .toBeGreaterThan(0.5);
  });
});
