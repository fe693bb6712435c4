import { ExitCode } from '@mlperf/core';
import { packageResults } from '@mlperf/report';
import { defineCommand } from 'citty';

export const packageCommand = defineCommand({
  meta: {
    name: 'package',
    description: 'Package results into one tar.gz with a SHA-256 manifest (secrets scrubbed)',
  },
  args: {
    dirs: {
      type: 'positional',
      required: true,
      description: 'results or suite directories (one or more)',
      valueHint: 'dir...',
    },
    output: {
      type: 'string',
      alias: 'o',
      default: 'mojaloop-1000tps-results.tar.gz',
      description: 'the tar.gz to write (outside the inputs)',
    },
    force: { type: 'boolean', default: false, description: 'replace --output when it exists' },
  },
  async run({ args }) {
    const dirs = args._.length > 0 ? args._ : [args.dirs];
    const r = await packageResults(dirs, args.output, { force: args.force });
    for (const e of r.excluded) console.error(`excluded ${e.path}: ${e.reason}`);
    for (const s of r.scrubbed) console.error(`scrubbed ${s.redactions} secret(s) from ${s.path}`);
    console.log(`${r.entries.length} files, ${(r.bytes / 1024).toFixed(1)} KiB`);
    console.log(r.output);
    return ExitCode.ok;
  },
});
