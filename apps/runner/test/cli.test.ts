import { describe, expect, it } from 'vitest';
import { cli } from './_cli.js';

describe('mlperf', () => {
  it('--version prints the version', async () => {
    expect(await cli('--version')).toEqual({ code: 0, stdout: '0.1.0', stderr: '' });
    expect((await cli('-v')).stdout).toBe('0.1.0');
  });

  it('--help lists the commands and the exit codes', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatchInlineSnapshot(`
      "Prove a Mojaloop hub clears 1000 transfers per second. Exit codes: 0 pass, 1 fail (criteria failed), 2 bad input or usage, 3 target or infrastructure unavailable, 4 inconclusive (could not judge: missing evidence, nothing to analyse, the load generator or the host was the limit). (mlperf v0.1.0)

      USAGE mlperf check|suite|run|monitor|reset|positions|hub|analyze|compare|report|dashboards|collect|package|promql|manifests|dfsp-sim|validate

      COMMANDS

             check    Pre-test check (pre-test-check.sh): services healthy, uptime, utilisation < 20%, no alerts, cluster capacity, test data, a first transfer, generator capacity, estimated duration and cost. Exit 0 ready, 1 a check failed, 3 target unreachable.
             suite    The performance test suite: show its plan (and run it).
               run    Run one test against the embedded hub or a real Mojaloop, live, write its results directory, then judge it as \`mlperf analyze\` does. Exit 0 pass, 1 fail, 2 bad input, 3 target unavailable, 4 inconclusive (generator or host was the limit, or evidence missing).
           monitor    Follow a running suite or test from a second terminal: progress, key metrics with bands, errors of the last 5 min, service health, live issues.
             reset    Reset DFSP funds, limits and positions to the suite's opening state (reset-test-data), then show them.
         positions    Show each DFSP's funds available to send (liquidity minus position), as check-dfsp-positions does.
               hub    Run the embedded Mojaloop hub simulator until Ctrl-C, printing its URLs.
           analyze    Judge a results directory, a suite directory or real k6 output; write analysis.json. k6 output may be several files of one run: its --out json NDJSON (one per runner of a distributed run, merged by time) and its --summary-export/handleSummary JSON (k6's own threshold verdicts), e.g. \`mlperf analyze out.ndjson summary.json\`. Exit 0 pass, 1 fail, 2 bad input (missing, duplicate or mixed files, two summaries without NDJSON, a summary of another run), 4 inconclusive (nothing to judge, evidence missing, or the generator or host was the limit).
           compare    Compare run B against baseline run A metric by metric with a significance test (a CI gate). Exit 0 no regression, 1 significant regression, 2 bad input, 4 inconclusive (a side has no data).
            report    Write analysis-report.html for a results directory, or the suite, success and playbook reports for a suite directory
        dashboards    Grafana dashboards: export them for provisioning, capture screenshots of a test
           collect    Gather summary, metrics, dashboards, logs and resource data into a results directory
           package    Package results into one tar.gz with a SHA-256 manifest (secrets scrubbed)
            promql    Lint PromQL, run validation queries, list the catalogue, write recording rules
         manifests    Write k6-operator manifests: tests/01-baseline-100tps.yaml ... 05-stress-test.yaml (DFSP simulator, script ConfigMap, TestRun), for \`kubectl apply -f\`.
          dfsp-sim    Serve the DFSP simulator for k6 runs: answers prepares as payee, receives callbacks as payer, lets k6 await outcomes (GET /outcomes/<id>), /metrics. Runs until Ctrl-C.
          validate    Check a suite file and list every problem with its path and a hint (exit 2 when invalid).

      Use mlperf <command> --help for more information about a command."
    `);
  });

  it('with no arguments prints the help', async () => {
    expect(await cli()).toEqual(await cli('--help'));
  });

  it('--help works on sub-commands', async () => {
    expect((await cli('suite', '--help')).stdout).toMatchInlineSnapshot(`
      "The performance test suite: show its plan (and run it). (mlperf suite v0.1.0)

      USAGE mlperf suite show|run

      COMMANDS

        show    Show the plan of a suite: tests, stages, planned transfers, TPS per corridor, liquidity needed vs funded, duration and cost.
         run    Run the whole suite (run-full-suite.sh): reset, check, baseline -> scale -> target -> endurance and target -> stress, each gated on the previous test, then analysis, reports and the package. Exit 0 every test passed, 1 a test failed (or the suite was interrupted), 2 bad input, 3 target unavailable, 4 inconclusive (a test could not be judged).

      Use mlperf suite <command> --help for more information about a command."
    `);
    expect((await cli('suite', 'show', '--help')).stdout).toMatchInlineSnapshot(`
      "Show the plan of a suite: tests, stages, planned transfers, TPS per corridor, liquidity needed vs funded, duration and cost. (mlperf suite show v0.1.0)

      USAGE mlperf suite show [OPTIONS]

      OPTIONS

                       --suite=<file>    Suite file (.ts, .mts, .js, .mjs, .json, .yaml); the standard Phase-07 suite when omitted
               --profile=<quick|full>    full: the Phase-07 plan's numbers; quick: every duration / 60 (default: full)
                     --time-scale=<n>    Multiply every duration by this (e.g. 0.5 or 1/60)
                     --rate-cap=<tps>    Cap every rate at this many TPS
                  --normalise-weights    Scale corridor weights that do not sum to 1, with a warning
                               --json    Print the plan as JSON
        --cost-per-node-hour=<amount>    Price of one node for one hour (with --nodes)
                          --nodes=<n>    Number of cluster nodes (with --cost-per-node-hour)
      "
    `);
    expect((await cli('validate', '-h')).stdout).toMatchInlineSnapshot(`
      "Check a suite file and list every problem with its path and a hint (exit 2 when invalid). (mlperf validate v0.1.0)

      USAGE mlperf validate [OPTIONS] <FILE>

      ARGUMENTS

        FILE=<file>    Suite file: .ts, .mts, .js, .mjs, .json, .yaml or .yml (Required)

      OPTIONS

                     --json    Print the result as JSON
        --normalise-weights    Scale corridor weights that do not sum to 1, with a warning
      "
    `);
  });

  it('rejects unknown and missing commands with exit 2', async () => {
    expect(await cli('nope')).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "USAGE: \`mlperf\`: unknown command nope
        hint: use one of: check, suite, run, monitor, reset, positions, hub, analyze, compare, report, dashboards, collect, package, promql, manifests, dfsp-sim, validate (\`mlperf --help\` tells more)",
        "stdout": "",
      }
    `);
    expect(await cli('suite')).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "USAGE: \`mlperf suite\` needs a command
        hint: use one of: show, run (\`mlperf suite --help\` tells more)",
        "stdout": "",
      }
    `);
    expect(await cli('suite', 'nope')).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "USAGE: \`mlperf suite\`: unknown command nope
        hint: use one of: show, run (\`mlperf suite --help\` tells more)",
        "stdout": "",
      }
    `);
    expect(await cli('validate')).toMatchInlineSnapshot(`
      {
        "code": 2,
        "stderr": "USAGE: Missing required positional argument: FILE
        hint: run \`mlperf validate --help\`",
        "stdout": "",
      }
    `);
  });
});
