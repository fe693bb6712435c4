import { errorMessage } from '../error-message.js';
import { MlperfError } from '../errors.js';

/** How long a suite script may take to load (its top-level await included). */
export const SUITE_LOAD_TIMEOUT_MS = 30_000;

const EXIT_CALLED = Symbol('mlperf.exitCalled');

/**
 * Runs the loading of a suite script so that it cannot end the process: `process.exit()` becomes
 * an error, and a top-level await that never settles becomes an error when nothing else is left
 * to run (instead of Node's silent exit 13) or after `timeoutMs`.
 */
export async function guarded<T>(
  path: string,
  load: () => Promise<T>,
  timeoutMs = SUITE_LOAD_TIMEOUT_MS,
): Promise<T> {
  const exit = process.exit;
  let timer: NodeJS.Timeout | undefined;
  let onDrain: (() => void) | undefined;
  const stuck = new Promise<never>((_, reject) => {
    const fail = (why: string) =>
      reject(
        new MlperfError('SUITE_FILE_LOAD', `${path}: ${why}`, {
          hint: 'a suite file must finish loading on its own: remove the await that never settles',
        }),
      );
    onDrain = () => fail('never finished loading (a top-level await that never settles)');
    timer = setTimeout(() => fail(`did not finish loading within ${timeoutMs / 1000} s`), timeoutMs);
    timer.unref();
    process.once('beforeExit', onDrain);
  });
  process.exit = ((code?: number | string | null) => {
    throw Object.assign(new Error(`called process.exit(${code ?? ''})`), { [EXIT_CALLED]: true });
  }) as typeof process.exit;
  try {
    return await Promise.race([load(), stuck]);
  } catch (err) {
    if (typeof err === 'object' && err !== null && EXIT_CALLED in err) {
      throw new MlperfError('SUITE_FILE_LOAD', `${path}: ${errorMessage(err)} while loading`, {
        hint: 'a suite file must only define the suite: remove the process.exit() call',
        cause: err,
      });
    }
    throw err;
  } finally {
    process.exit = exit;
    clearTimeout(timer);
    if (onDrain) process.off('beforeExit', onDrain);
  }
}
