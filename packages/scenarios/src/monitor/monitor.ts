import type { LiveIssue } from './live-issues.js';
import { renderMonitorFrame, renderMonitorLine } from './render.js';
import { MonitorState, type MonitorSnapshot, type MonitorSources } from './snapshot.js';

export interface MonitorOptions extends MonitorSources {
  dir: string;
  /** Redraw in place (a terminal) or print one line per refresh. */
  tty: boolean;
  write: (text: string) => void;
  intervalMs?: number;
  /** Print one frame and return. */
  once?: boolean;
  signal?: AbortSignal;
}

/**
 * `mlperf monitor`: refreshes until the suite or run is no longer running (or the signal fires),
 * then prints the final state. Returns the last snapshot.
 */
export async function runMonitor(options: MonitorOptions): Promise<MonitorSnapshot> {
  const state = new MonitorState(options.dir, options);
  const interval = options.intervalMs ?? 2000;
  const printed = new Set<string>();
  for (;;) {
    const snap = await state.refresh();
    if (options.tty) {
      options.write(`\x1b[H\x1b[2J${renderMonitorFrame(snap, { dir: options.dir }).join('\n')}\n`);
    } else {
      options.write(`${renderMonitorLine(snap)}\n`);
      for (const i of snap.issues) {
        const key = `${i.kind}@${i.at}`;
        if (printed.has(key)) continue;
        printed.add(key);
        options.write(`${renderIssue(i)}\n`);
      }
    }
    if (options.once || snap.finished || options.signal?.aborted) return snap;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, interval);
      options.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
    if (options.signal?.aborted) return snap;
  }
}

function renderIssue(i: LiveIssue): string {
  return [
    `${i.title}: ${i.detail}`,
    ...(i.causes ?? []).map((c) => `  likely cause: ${c.title}${c.fix ? ` -> ${c.fix}` : ''}`),
  ].join('\n');
}
