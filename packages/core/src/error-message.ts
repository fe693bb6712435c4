/**
 * The message of anything thrown: an Error's message, a string as it is, anything else as JSON
 * (or its String() when it cannot be serialised). Never throws itself.
 */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  try {
    const json = JSON.stringify(err);
    if (json !== undefined) return json;
  } catch {
    // fall through: a cycle or a BigInt
  }
  try {
    return String(err);
  } catch {
    return Object.prototype.toString.call(err);
  }
}
