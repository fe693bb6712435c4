import { ExitCode, isMlperfError } from '@mlperf/core';
import { defineCommand, runCommand, showUsage } from 'citty';
import { commands } from './commands/index.js';

export const VERSION = '0.1.0';

export const mainCommand = defineCommand({
  meta: {
    name: 'mlperf',
    version: VERSION,
    description: 'Prove a Mojaloop hub clears 1000 transfers per second.',
  },
  subCommands: commands,
});

/**
 * Runs the CLI with `argv` and returns the exit code instead of exiting, so tests can call it in-process.
 * Errors are printed as `CODE: message` + hint, never as a stack trace.
 */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--version') || argv.includes('-v')) {
    if (argv.length === 1) {
      console.log(VERSION);
      return ExitCode.ok;
    }
  }
  if (argv.length === 0 || (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h'))) {
    await showUsage(mainCommand);
    return ExitCode.ok;
  }
  try {
    const { result } = await runCommand(mainCommand, { rawArgs: argv });
    return typeof result === 'number' ? result : ExitCode.ok;
  } catch (err) {
    if (isMlperfError(err)) {
      console.error(err.format());
      return err.exitCode;
    }
    if (err instanceof Error && err.name === 'CLIError') {
      console.error(`USAGE: ${err.message}\n  hint: run \`mlperf --help\` or \`mlperf <command> --help\``);
      return ExitCode.badInput;
    }
    console.error(err instanceof Error ? `INTERNAL: ${err.message}` : `INTERNAL: ${String(err)}`);
    return ExitCode.badInput;
  }
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<never> {
  const code = await run(argv);
  process.exit(code);
}
