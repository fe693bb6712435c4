import { fileURLToPath } from 'node:url';
import { publicApi } from '@mlperf/testkit';
import { describe, expect, it } from 'vitest';

// The public surface of @mlperf/hub. A change here is an API decision: document it in the README first.
describe('@mlperf/hub exports', () => {
  it('these values', async () => {
    expect(Object.keys(await import('@mlperf/hub')).sort()).toMatchInlineSnapshot(`
      [
        "FSPIOP_ERRORS",
        "HUB_PROFILES",
        "HUB_PROFILE_NAMES",
        "HUB_SERVICES",
        "HUB_STAGES",
        "checkDfsps",
        "mergeKnobs",
        "parseKnobAssignments",
        "resolveHubProfile",
        "startHub",
      ]
    `);
  });

  it('these types', () => {
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    expect(publicApi(entry).types).toMatchInlineSnapshot(`
      [
        "CallbackKnobs",
        "DbPoolKnobs",
        "FaultKnobs",
        "HubHandle",
        "HubKnobs",
        "HubKnobsPatch",
        "HubOptions",
        "HubProfile",
        "HubProfileName",
        "HubService",
        "HubStage",
        "LedgerSnapshot",
        "OutageKnobs",
        "ParticipantSnapshot",
        "StageKnobs",
      ]
    `);
  });
});
