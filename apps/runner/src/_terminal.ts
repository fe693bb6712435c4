import { format } from 'node:util';

/**
 * Control sequences a results file, a query answer or a suite file could smuggle to the terminal:
 * ESC sequences (CSI, OSC, single-character), other C0 controls but newline and tab, DEL and C1.
 */
// biome-ignore lint/complexity/useRegexLiterals: as a literal it would trip the control-character rule
const CONTROL = new RegExp(
  String.raw`\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[0-~])?|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]`,
  'g',
);

/** The text with every control sequence removed (newlines and tabs stay). */
export function stripControl(text: string): string {
  return text.replace(CONTROL, '');
}

type Log = (...args: unknown[]) => void;
const METHODS = ['log', 'error', 'warn', 'info'] as const;

/**
 * Runs `fn` with console output cleaned of control sequences: whatever a command prints, data
 * from files and services cannot move the cursor, retitle the window or ring the bell.
 */
export async function withCleanConsole<T>(fn: () => Promise<T>): Promise<T> {
  const saved = METHODS.map((m) => [m, console[m]] as const);
  for (const [m, original] of saved) {
    console[m] = ((...args: unknown[]) =>
      (original as Log).call(console, stripControl(format(...args)))) as Log;
  }
  try {
    return await fn();
  } finally {
    for (const [m, original] of saved) console[m] = original;
  }
}
