import { defineCommand, runMain } from 'citty';

export const mainCommand = defineCommand({
  meta: {
    name: 'mlperf',
    version: '0.1.0',
    description: 'Prove a Mojaloop hub clears 1000 transfers per second.',
  },
  subCommands: {},
});

export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  await runMain(mainCommand, { rawArgs: argv });
}
