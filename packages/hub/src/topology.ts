import { type DfspDefinition, MlperfError } from '@mlperf/core';

/** Checks participant definitions; throws MlperfError naming the bad entry. */
export function checkDfsps(dfsps: unknown, where = 'dfsps'): DfspDefinition[] {
  const bad = (msg: string) =>
    new MlperfError('HUB_DFSPS_INVALID', `${where}: ${msg}`, {
      hint: 'each DFSP needs id, currency (3 letters), initialPosition, liquidity and netDebitCap (numbers)',
    });
  if (!Array.isArray(dfsps) || dfsps.length === 0) throw bad('must be a non-empty array');
  const seen = new Set<string>();
  dfsps.forEach((d: unknown, i) => {
    const o = d as Record<string, unknown>;
    if (typeof d !== 'object' || d === null) throw bad(`[${i}] must be an object`);
    if (typeof o.id !== 'string' || o.id.length === 0 || o.id.length > 32)
      throw bad(`[${i}].id must be 1..32 characters`);
    if (seen.has(o.id)) throw bad(`[${i}].id "${o.id}" is repeated`);
    seen.add(o.id);
    if (typeof o.currency !== 'string' || !/^[A-Z]{3}$/.test(o.currency))
      throw bad(`[${i}].currency must be like USD`);
    for (const k of ['initialPosition', 'liquidity', 'netDebitCap'])
      if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) throw bad(`[${i}].${k} must be a number`);
    if (
      o.callbackBaseUrl !== undefined &&
      (typeof o.callbackBaseUrl !== 'string' || !/^https?:\/\//.test(o.callbackBaseUrl))
    )
      throw bad(`[${i}].callbackBaseUrl must be an http(s) URL`);
  });
  return dfsps as DfspDefinition[];
}
