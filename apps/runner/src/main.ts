import { ExitCode, errorMessage } from '@mlperf/core';
import { defineCommand, renderUsage, runCommand } from 'citty';
import { checkFlags, checkPositionals, resolveCommand, subCommandNames } from './_argv.js';
import { classifyFailure } from './_failure.js';
import { withCleanConsole } from './_terminal.js';
import { type AnyCommand, commands } from './commands/index.js';

export const VERSION = '0.1.0';

export const mainCommand = defineCommand({
  meta: {
    name: 'mlperf',
    version: VERSION,
    description:
      'Prove a Mojaloop hub clears 1000 transfers per second. Exit codes: 0 pass, 1 fail (criteria failed), 2 bad input or usage, 3 target or infrastructure unavailable, 4 inconclusive (could not judge: missing evidence, nothing to analyse, the load generator or the host was the limit).',
  },
  subCommands: commands,
});

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * Runs the CLI with `argv` and returns the exit code instead of exiting, so tests can call it in-process.
 * Errors are printed as `CODE: message` + hint, never as a stack trace.
 */
export async function run(argv: string[]): Promise<number> {
  try {
    const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
      console.log(VERSION);
      return ExitCode.ok;
    }
    const resolved = await resolveCommand(mainCommand, argv);
    if (argv.length === 0 || beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
      await showHelp(resolved.cmd, resolved.name);
      return ExitCode.ok;
    }
    return await withCleanConsole(async () => {
      await checkFlags(resolved);
      await checkPositionals(resolved);
      // Run the resolved command itself: citty drops a sub-command's return value (our exit code).
      const { result } = await runCommand(resolved.cmd, { rawArgs: resolved.rest });
      return typeof result === 'number' ? result : ExitCode.ok;
    });
  } catch (err) {
    return withCleanConsole(() => report(err, argv));
  }
}

/** citty's usage text, named by the full command path, without colour unless on a terminal. */
async function showHelp(cmd: AnyCommand, name: string): Promise<void> {
  const parentName = name.split(' ').slice(0, -1).join(' ');
  const parent = parentName ? defineCommand({ meta: { name: parentName, version: VERSION } }) : undefined;
  const text = await renderUsage(cmd, parent);
  const plain = process.stdout.isTTY ? text : text.replace(ANSI, '');
  console.log(
    plain
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n'),
  );
}

async function report(err: unknown, argv: string[]): Promise<number> {
  const known = classifyFailure(err);
  if (known) {
    console.error(known.format());
    return known.exitCode;
  }
  if (err instanceof Error && err.name === 'CLIError') {
    const { cmd, name } = await resolveCommand(mainCommand, argv);
    const code = (err as Error & { code?: string }).code;
    const message = err.message.replace(ANSI, '');
    const subs = await subCommandNames(cmd);
    if (code === 'E_UNKNOWN_COMMAND' || code === 'E_NO_COMMAND') {
      const what =
        code === 'E_NO_COMMAND' ? `\`${name}\` needs a command` : `\`${name}\`: ${message.toLowerCase()}`;
      console.error(`USAGE: ${what}\n  hint: use one of: ${subs.join(', ')} (\`${name} --help\` tells more)`);
    } else {
      console.error(`USAGE: ${message}\n  hint: run \`${name} --help\``);
    }
    return ExitCode.badInput;
  }
  // A bug, not bad input: say so plainly, without a stack trace.
  console.error(`INTERNAL: ${errorMessage(err)}`);
  console.error('  hint: this is a bug in mlperf; please report it with the command you ran');
  return ExitCode.badInput;
}

export async function main(argv: string[] = process.argv.slice(2)): Promise<never> {
  // A throw that escapes a command (an 'error' event nobody handled): same message, no stack trace.
  const escaped = (err: unknown) => {
    void withCleanConsole(() => report(err, argv)).then((code) => process.exit(code));
  };
  process.on('uncaughtException', escaped);
  process.on('unhandledRejection', escaped);
  const code = await run(argv);
  process.exit(code);
}
