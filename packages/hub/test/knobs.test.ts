import { describe, expect, it } from 'vitest';
import { HUB_PROFILES, parseKnobAssignments, resolveHubProfile } from '@mlperf/hub';

describe('knobs', () => {
  it('parses assignments into a patch and applies it over a profile', () => {
    const patch = parseKnobAssignments(
      'dbPool.size=5, faults.errorRate=0.01,faults.crash={"service":"kafka","everyMs":9000,"forMs":100},faults.stall=null',
    );
    expect(patch).toEqual({
      dbPool: { size: 5 },
      faults: { errorRate: 0.01, crash: { service: 'kafka', everyMs: 9000, forMs: 100 }, stall: null },
    });
    const p = resolveHubProfile('kafka-lag', patch);
    expect(p.knobs.dbPool).toEqual({ ...HUB_PROFILES.healthy.knobs.dbPool, size: 5 });
    expect(p.knobs.stages.position.partitions).toBe(1);
    expect(p.knobs.faults.crash).toEqual({ service: 'kafka', everyMs: 9000, forMs: 100 });
  });

  it('names the bad knob and says how to fix it', () => {
    expect(() => parseKnobAssignments('dbPool.size')).toThrow(/"dbPool.size" is not a knob assignment/);
    expect(() => resolveHubProfile('healthy', parseKnobAssignments('dbPool.size=-1'))).toThrow(
      /knobs.dbPool.size: invalid value -1; expected a number >= 0/,
    );
    expect(() => resolveHubProfile('healthy', { stages: { position: { partitions: 0 } } })).toThrow(
      /knobs.stages.position.partitions: invalid value 0; expected an integer >= 1/,
    );
    expect(() => resolveHubProfile('healthy', parseKnobAssignments('faults.errorRate=2'))).toThrow(
      /a fraction 0..1/,
    );
    expect(() => resolveHubProfile('healthy', parseKnobAssignments('faults.lostCallbackRatio=1.5'))).toThrow(
      /knobs.faults.lostCallbackRatio: invalid value 1.5; expected a fraction 0..1/,
    );
    expect(
      resolveHubProfile('healthy', parseKnobAssignments('faults.lostCallbackRatio=0.1')).knobs.faults
        .lostCallbackRatio,
    ).toBe(0.1);
    expect(() => resolveHubProfile('healthy', parseKnobAssignments('faults.latencyStage=7'))).toThrow(
      /expected a string/,
    );
  });
});
