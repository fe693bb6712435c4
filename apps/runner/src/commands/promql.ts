import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { ExitCode, MlperfError } from '@mlperf/core';
import {
  CATALOGUE_FAMILIES,
  DEFAULT_PROMETHEUS_VERSION,
  type CatalogueFamily,
  type Diagnostic,
  PrometheusClient,
  catalogueFor,
  type MetricPrefixes,
  parseMetricPrefix,
  formatDiagnostic,
  parsePromDuration,
  ruleFileYaml,
  validationRecordingRules,
  validateQuery,
  resolvePrometheusVersion,
  validateQueryLive,
} from '@mlperf/core/promql';
import { defineCommand } from 'citty';

interface SourceQuery {
  text: string;
  /** `file:line` or `argument`. */
  where: string;
}

/** Queries in a file: rule files (`expr:` lines) or PromQL separated by blank lines. */
function readQueries(arg: string): SourceQuery[] {
  if (!existsSync(arg) || !statSync(arg).isFile())
    throw new MlperfError('PROMQL_NO_FILE', `--file ${arg}: no such file`, {
      hint: 'give the path of a rules .yml or of a file of queries separated by blank lines',
      exitCode: ExitCode.badInput,
    });
  const lines = readFileSync(arg, 'utf8').split('\n');
  const out: SourceQuery[] = [];
  if (/\.ya?ml$/.test(arg)) {
    lines.forEach((line, i) => {
      const m = /^\s*-?\s*expr:\s*(.+?)\s*$/.exec(line);
      if (!m?.[1]) return;
      const raw = m[1];
      const text = /^["']/.test(raw)
        ? raw.startsWith('"')
          ? (JSON.parse(raw) as string)
          : raw.slice(1, -1).replaceAll("''", "'")
        : raw;
      out.push({ text, where: `${arg}:${i + 1}` });
    });
    return out;
  }
  let current: string[] = [];
  let startLine = 0;
  const flush = () => {
    const text = current.join('\n').trim();
    if (text) out.push({ text, where: `${arg}:${startLine + 1}` });
    current = [];
  };
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') flush();
    else if (line.trim().startsWith('#') && current.length === 0) continue;
    else {
      if (current.length === 0) startLine = i;
      current.push(line);
    }
  }
  flush();
  if (out.length === 0)
    throw new MlperfError('PROMQL_EMPTY_FILE', `${arg} holds no queries`, {
      hint: 'write one PromQL query per paragraph',
    });
  return out;
}

function failIfErrors(errors: number, queries: number): void {
  if (errors > 0) {
    throw new MlperfError(
      'PROMQL_INVALID',
      `${errors} error${errors === 1 ? '' : 's'} in ${queries} quer${queries === 1 ? 'y' : 'ies'}`,
      {
        hint: 'fix the queries as shown above',
        exitCode: ExitCode.badInput,
      },
    );
  }
}

/** `--prefix` / `--metric-prefix` as catalogue options (the services' defaults when absent). */
function prefixOption(value: string | undefined): { prefixes?: MetricPrefixes } {
  return value === undefined ? {} : { prefixes: parseMetricPrefix(value, '--prefix') };
}

const common = {
  'prometheus-url': {
    type: 'string',
    description: 'Prometheus base URL (else MLPERF_PROMETHEUS_URL)',
    valueHint: 'url',
  },
  prefix: {
    type: 'string',
    alias: 'metric-prefix',
    description:
      "Mojaloop metric prefix: one for both services (moja_) or central-ledger=moja_cl_,ml-api-adapter=moja_ml_ (default: the services' own defaults moja_cl_ / moja_ml_)",
    valueHint: 'prefix',
  },
} as const;

const LINT_VALUE_FLAGS = new Set(['--scrape-interval', '--prometheus-url', '--prometheus-version', '--file']);
const LINT_BOOLEAN_FLAGS = new Set(['--json']);

/**
 * The query from the raw arguments: every word that is not one of lint's own flags, joined by
 * spaces; everything after `--` verbatim. So `-Inf`, `- -5` and `-- -x` are queries, not options.
 */
function lintQueryFromArgs(rawArgs: readonly string[]): string | undefined {
  const words: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const a = rawArgs[i] as string;
    if (a === '--') {
      words.push(...rawArgs.slice(i + 1));
      break;
    }
    const flag = a.split('=')[0] as string;
    if (LINT_VALUE_FLAGS.has(flag)) {
      if (!a.includes('=')) i++;
    } else if (!LINT_BOOLEAN_FLAGS.has(flag) && a !== '--no-json') words.push(a);
  }
  return words.length > 0 ? words.join(' ') : undefined;
}

const lint = defineCommand({
  meta: {
    name: 'lint',
    description:
      'Check a PromQL query (or --file) for the target Prometheus version: syntax, types and lint rules (exit 2 on errors)',
  },
  args: {
    query: {
      type: 'positional',
      description: 'The query; quote it. Queries starting with `-` work (-Inf), as does `-- <query>`',
      valueHint: 'query',
      required: false,
    },
    file: {
      type: 'string',
      description: 'Check the queries of a file instead (blank-line separated, or a rules .yml)',
      valueHint: 'path',
    },
    'scrape-interval': {
      type: 'string',
      description: 'Scrape interval the queries run against',
      default: '15s',
    },
    'prometheus-url': {
      ...common['prometheus-url'],
      description: 'Also check metric types and series against this Prometheus (and take its version)',
    },
    'prometheus-version': {
      type: 'string',
      description:
        'Prometheus version whose grammar and functions apply (e.g. 2.42.0, 3.1.0); default: the connected one, else the installed prometheus, else ' +
        DEFAULT_PROMETHEUS_VERSION,
    },
    json: { type: 'boolean', description: 'Print diagnostics as JSON' },
  },
  async run({ args, rawArgs }) {
    const text = lintQueryFromArgs(rawArgs);
    if (args.file && text !== undefined)
      throw new MlperfError('PROMQL_USAGE', 'give either a query or --file, not both', {
        hint: `mlperf promql lint 'sum(rate(x_total[5m]))'  or  mlperf promql lint --file rules.yml`,
        exitCode: ExitCode.badInput,
      });
    if (!args.file && text === undefined)
      throw new MlperfError('PROMQL_USAGE', 'no query to check', {
        hint: `mlperf promql lint 'sum(rate(x_total[5m]))'  or  mlperf promql lint --file rules.yml`,
        exitCode: ExitCode.badInput,
      });
    const queries = args.file ? readQueries(args.file) : [{ text: text as string, where: 'argument' }];
    const url = args['prometheus-url'];
    const client = url ? PrometheusClient.fromEnv({ url }) : undefined;
    const target = await resolvePrometheusVersion({
      ...(args['prometheus-version'] ? { explicit: args['prometheus-version'] } : {}),
      ...(client ? { client } : {}),
    });
    const opts = { scrapeInterval: args['scrape-interval'], prometheusVersion: target.version };
    const results: { query: SourceQuery; diagnostics: Diagnostic[] }[] = [];
    for (const query of queries) {
      const diagnostics = client
        ? await validateQueryLive(query.text, { ...opts, client })
        : validateQuery(query.text, opts);
      results.push({ query, diagnostics });
    }
    const errors = results.flatMap((r) => r.diagnostics).filter((d) => d.severity === 'error').length;
    const warnings = results.flatMap((r) => r.diagnostics).length - errors;
    if (args.json) {
      console.log(
        JSON.stringify(
          results.map((r) => ({ where: r.query.where, query: r.query.text, diagnostics: r.diagnostics })),
          null,
          2,
        ),
      );
    } else {
      for (const { query, diagnostics } of results) {
        if (diagnostics.length === 0) continue;
        console.log(`${query.where}:`);
        for (const d of diagnostics) console.log(`${formatDiagnostic(query.text, d, '  ')}\n`);
      }
      console.log(
        `${queries.length} quer${queries.length === 1 ? 'y' : 'ies'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} (Prometheus ${target.version} grammar, from ${target.source})`,
      );
    }
    failIfErrors(errors, queries.length);
    return ExitCode.ok;
  },
});

const fmt = (v: string) => {
  const n = Number(v);
  return Number.isFinite(n) ? String(Number(n.toPrecision(6))) : v;
};
const labelText = (m: Record<string, string>) =>
  `{${Object.entries(m)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;

const query = defineCommand({
  meta: { name: 'query', description: 'Run a catalogue query (by name) or a PromQL expression' },
  args: {
    query: {
      type: 'positional',
      description: 'Catalogue name (see `mlperf promql catalogue`) or PromQL',
      required: true,
    },
    range: {
      type: 'string',
      description: 'Query this much history up to now (e.g. 15m) instead of an instant',
      valueHint: 'duration',
    },
    step: { type: 'string', description: 'Range step in seconds (default: keeps under 11,000 points)' },
    window: { type: 'string', description: 'Rate window of catalogue queries', default: '1m' },
    json: { type: 'boolean', description: 'Print the result as JSON' },
    ...common,
  },
  async run({ args }) {
    const entry = catalogueFor({ ...prefixOption(args.prefix), window: args.window }).find(
      (q) => q.name === args.query,
    );
    const promql = entry?.promql ?? args.query;
    if (!entry) {
      const errors = validateQuery(promql).filter((d) => d.severity === 'error');
      for (const d of errors) console.log(`${formatDiagnostic(promql, d)}\n`);
      failIfErrors(errors.length, 1);
    }
    const client = PrometheusClient.fromEnv({
      ...(args['prometheus-url'] ? { url: args['prometheus-url'] } : {}),
      onWarning: (m, c) => console.error(`${c.kind}: ${m}`),
    });
    if (args.range) {
      const span = parsePromDuration(args.range);
      if (span === undefined || span <= 0)
        throw new MlperfError('CLI_BAD_RANGE', `--range is not a duration: ${JSON.stringify(args.range)}`, {
          hint: 'use e.g. --range 15m',
        });
      const end = Math.ceil(Date.now() / 1000);
      const step = args.step === undefined ? undefined : Number(args.step);
      if (step !== undefined && !(step > 0))
        throw new MlperfError(
          'CLI_BAD_STEP',
          `--step is not a positive number of seconds: ${JSON.stringify(args.step)}`,
          { hint: 'use e.g. --step 15' },
        );
      const res = await client.queryRange(promql, { start: end - span, end, ...(step ? { step } : {}) });
      if (args.json)
        return void console.log(JSON.stringify({ query: promql, step: res.step, result: res.data }, null, 2));
      console.log(`${promql}  (last ${args.range}, step ${res.step}s)`);
      for (const s of res.data) {
        const values = s.values.map(([, v]) => Number(v)).filter(Number.isFinite);
        const last = s.values.at(-1)?.[1] ?? '';
        console.log(
          `  ${labelText(s.metric)}  points=${s.values.length} min=${fmt(String(Math.min(...values)))} max=${fmt(String(Math.max(...values)))} last=${fmt(last)}`,
        );
      }
      if (res.data.length === 0) console.log('  (no data)');
      return ExitCode.ok;
    }
    const res = await client.query(promql);
    if (args.json) return void console.log(JSON.stringify({ query: promql, ...res.data }, null, 2));
    console.log(entry ? `${entry.name}: ${promql}${entry.unit ? `  [${entry.unit}]` : ''}` : promql);
    const data = res.data;
    if (data.resultType === 'vector') {
      for (const s of data.result) console.log(`  ${labelText(s.metric)}  ${fmt(s.value[1])}`);
      if (data.result.length === 0) console.log('  (no data)');
    } else if (data.resultType === 'matrix') {
      for (const s of data.result) console.log(`  ${labelText(s.metric)}  ${s.values.length} samples`);
    } else {
      console.log(`  ${fmt(data.result[1])}`);
    }
    return ExitCode.ok;
  },
});

const catalogue = defineCommand({
  meta: { name: 'catalogue', description: 'List the named validation queries' },
  args: {
    json: { type: 'boolean', description: 'Print as JSON' },
    family: { type: 'string', description: `Only one family: ${CATALOGUE_FAMILIES.join(', ')}` },
    window: { type: 'string', description: 'Rate window', default: '1m' },
    ...common,
  },
  run({ args }) {
    const family = args.family as CatalogueFamily | undefined;
    if (family !== undefined && !CATALOGUE_FAMILIES.includes(family)) {
      throw new MlperfError(
        'CLI_BAD_FAMILY',
        `--family ${JSON.stringify(family)} is not a catalogue family`,
        { hint: `use one of ${CATALOGUE_FAMILIES.join(', ')}` },
      );
    }
    const list = catalogueFor({
      ...prefixOption(args.prefix),
      window: args.window,
      ...(family ? { families: [family] } : {}),
    });
    if (args.json) return void console.log(JSON.stringify(list, null, 2));
    const width = Math.max(...list.map((q) => q.name.length));
    for (const q of list) {
      console.log(
        `${q.name.padEnd(width)}  ${q.family.padEnd(10)} ${q.unit.padEnd(10)} ${(q.band ?? '').padEnd(12)} ${q.title}`,
      );
      console.log(`${' '.repeat(width)}  ${q.promql}`);
    }
    return ExitCode.ok;
  },
});

const rules = defineCommand({
  meta: {
    name: 'rules',
    description: "Write the recording rules that define the Phase-07 plan's mojaloop_transfer_* names",
  },
  args: {
    out: { type: 'string', description: 'Write to this file instead of stdout', valueHint: 'file' },
    interval: { type: 'string', description: 'Rule evaluation interval (default: the global one)' },
    prefix: common.prefix,
  },
  async run({ args }) {
    const yaml = ruleFileYaml(
      validationRecordingRules({
        ...prefixOption(args.prefix),
        ...(args.interval ? { interval: args.interval } : {}),
      }),
    );
    if (!args.out) return void process.stdout.write(yaml);
    try {
      await writeFile(args.out, yaml);
    } catch (err) {
      throw new MlperfError('CLI_UNWRITABLE', `cannot write ${args.out}: ${(err as Error).message}`, {
        hint: 'choose a writable path',
      });
    }
    console.log(`wrote ${args.out}`);
    return ExitCode.ok;
  },
});

export default defineCommand({
  meta: {
    name: 'promql',
    description: 'Lint PromQL, run validation queries, list the catalogue, write recording rules',
  },
  subCommands: { lint, query, catalogue, rules },
});
