import { ExitCode, MlperfError } from '@mlperf/core';
import type { HubHandle } from '@mlperf/hub';

/**
 * Aborts when the embedded hub's process exits before `dispose()` (a crash, an OOM kill): the run
 * then ends as aborted with that reason, instead of counting failures against a dead hub.
 */
export function watchHub(hub: HubHandle | undefined): { signal: AbortSignal; dispose(): void } {
  const ac = new AbortController();
  let active = true;
  void hub?.exited?.then(({ code, signal }) => {
    if (!active) return;
    ac.abort(
      new MlperfError(
        'HUB_EXITED',
        `the embedded hub process exited (${signal ?? `code ${code}`}) during the run`,
        {
          hint: 'see logs/hub.log in the results directory; the run was stopped there',
          exitCode: ExitCode.unavailable,
        },
      ),
    );
  });
  return {
    signal: ac.signal,
    dispose: () => {
      active = false;
    },
  };
}
