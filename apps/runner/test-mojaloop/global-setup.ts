import { script, scriptsPresent, SCRIPTS, switchHealthy } from './switch.js';

/**
 * Starts the real switch once for every file of `pnpm test:mojaloop` (when it is not up already)
 * and stops exactly what it started at the end; a switch that was already up stays up.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (!scriptsPresent()) {
    console.log(`test:mojaloop: no real switch scripts at ${SCRIPTS}: every test is skipped`);
    return undefined;
  }
  if (await switchHealthy()) {
    console.log('test:mojaloop: the switch is already up; it stays up afterwards');
    return undefined;
  }
  const t0 = Date.now();
  const code = await script('up.sh');
  if (code !== 0) {
    await script('down.sh');
    throw new Error(`up.sh exited ${code}: the real switch did not start (see /tmp/realml/logs)`);
  }
  console.log(`test:mojaloop: switch started in ${Math.round((Date.now() - t0) / 1000)} s`);
  return async () => {
    await script('down.sh');
  };
}
