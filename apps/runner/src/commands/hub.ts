import { ExitCode, MlperfError, readSuiteFile, validateSuite } from '@mlperf/core';
import type { DfspDefinition } from '@mlperf/core';
import {
  HUB_PROFILE_NAMES,
  type HubProfileName,
  checkDfsps,
  parseKnobAssignments,
  startHub,
} from '@mlperf/hub';
import * as scenarios from '@mlperf/scenarios';
import { defineCommand } from 'citty';

/** Resolves when the process gets SIGINT or SIGTERM (tests emit the signal in-process). */
function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onInt = () => done('SIGINT');
    const onTerm = () => done('SIGTERM');
    const done = (sig: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(sig);
    };
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

function port(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new MlperfError('USAGE', `${flag} ${value}: not a port number`, {
      hint: 'use 0..65535; 0 picks a free port',
    });
  return n;
}

/** DFSPs from a suite file (.ts/.js/.json/.yaml), or from a file holding only `{ dfsps: [...] }`. */
async function loadDfsps(file: string): Promise<DfspDefinition[]> {
  const raw = await readSuiteFile(file, { modules: { '@mlperf/scenarios': scenarios } });
  if (typeof raw === 'object' && raw !== null && 'tests' in raw)
    return validateSuite(raw, { source: `suite file ${file}` }).suite.dfsps;
  const dfsps = typeof raw === 'object' && raw !== null && 'dfsps' in raw ? raw.dfsps : raw;
  return checkDfsps(dfsps, `${file}: dfsps`);
}

export const hubCommand = defineCommand({
  meta: {
    name: 'hub',
    description: 'Run the embedded Mojaloop hub simulator until Ctrl-C, printing its URLs.',
  },
  args: {
    port: {
      type: 'string',
      description: 'FSPIOP (ml-api-adapter) port; 0 picks a free one',
      default: '3000',
    },
    'admin-port': { type: 'string', description: 'Admin (central-ledger) port; default port + 1, or free' },
    host: { type: 'string', description: 'Interface to bind', default: '127.0.0.1' },
    profile: { type: 'string', description: `One of: ${HUB_PROFILE_NAMES.join(', ')}`, default: 'healthy' },
    dfsps: {
      type: 'string',
      description: 'Suite file whose DFSPs to load (default: the Phase-07 plan 8 DFSPs)',
      valueHint: 'file',
    },
    set: { type: 'string', description: 'Knobs over the profile: path=value,... e.g. dbPool.size=5' },
  },
  async run({ args }) {
    if (!(HUB_PROFILE_NAMES as string[]).includes(args.profile))
      throw new MlperfError('USAGE', `--profile ${args.profile}: unknown hub profile`, {
        hint: `use one of: ${HUB_PROFILE_NAMES.join(', ')}`,
      });
    const fspiopPort = port(args.port, '--port') ?? 3000;
    const adminPort = port(args['admin-port'], '--admin-port') ?? (fspiopPort === 0 ? 0 : fspiopPort + 1);
    const dfsps = args.dfsps ? await loadDfsps(args.dfsps) : undefined;
    const knobs = args.set ? parseKnobAssignments(args.set) : undefined;
    const hub = await startHub({
      host: args.host,
      port: fspiopPort,
      adminPort,
      profile: args.profile as HubProfileName,
      knobs,
      dfsps,
      log: (line) => console.error(`hub: ${line}`),
    });
    const ledger = await hub.ledger();
    console.log(`mlperf hub: profile ${hub.profile.name}, ${ledger.participants.length} DFSPs`);
    console.log(`  FSPIOP (ml-api-adapter)  ${hub.url}`);
    console.log(`  admin (central-ledger)   ${hub.adminUrl}`);
    console.log(`  metrics                  ${hub.metricsUrl}`);
    console.log(`  health                   ${hub.healthUrl}`);
    console.log(`  cause shows in           ${hub.profile.evidence}`);
    console.log('Ctrl-C to stop');
    const signal = await untilSignal();
    await hub.stop();
    console.log(`mlperf hub: stopped (${signal})`);
    return ExitCode.ok;
  },
});
