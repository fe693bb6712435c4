import { ExitCode } from '@mlperf/core';
import { collectResults } from '@mlperf/report';
import { defineCommand } from 'citty';

export const collectCommand = defineCommand({
  meta: {
    name: 'collect',
    description: 'Gather summary, metrics, dashboards, logs and resource data into a results directory',
  },
  args: {
    dir: { type: 'positional', required: true, description: 'results directory of one test' },
    logs: {
      type: 'string',
      description: 'extra service logs to copy in (a file or a directory; secrets scrubbed)',
    },
  },
  async run({ args }) {
    const c = collectResults(args.dir, args.logs ? { logsFrom: [args.logs] } : {});
    for (const i of c.items)
      console.log(`${i.present ? '✓' : '✗'} ${i.item}: ${i.files.length} file(s). ${i.note}`);
    console.log(`${c.dir}/collection.json`);
    return ExitCode.ok;
  },
});
