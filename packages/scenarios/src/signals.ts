/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM (stop arrivals, drain, write the
 * summary with status `aborted`); a second signal exits at once with 130, leaving the partial
 * directory as it is (still readable). `dispose()` removes the handlers.
 */
export function abortOnSignals(onFirst?: (signal: NodeJS.Signals) => void): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const controller = new AbortController();
  const handler = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    onFirst?.(sig);
    controller.abort(new Error(`${sig} received`));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
