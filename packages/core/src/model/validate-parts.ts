import { validateQuery } from '../promql/validate.js';
import { BAND_METRICS } from './bands.js';
import { LIMITS } from './limits.js';
import { at, type Checker } from './validate-check.js';

/** FSPIOP FspId: 1..32 characters; we also keep it safe for file names. */
export const DFSP_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
export const CURRENCY = /^[A-Z]{3}$/;
/** FSPIOP `Amount`: no leading zeros, at most 4 decimals, no trailing zero after the point. */
export const FSPIOP_AMOUNT = /^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$/;
/** Corridor weights must sum to 1 within this tolerance. */
export const WEIGHT_TOLERANCE = 1e-6;

const DFSP_KEYS = ['id', 'currency', 'initialPosition', 'liquidity', 'netDebitCap', 'callbackBaseUrl'];
const CORRIDOR_KEYS = ['payer', 'payee', 'weight', 'name'];
const TRANSFER_KEYS = ['amount', 'currency', 'expiration', 'quote', 'partyLookup', 'payeeRejectRatio'];

export interface DfspInfo {
  currency: string | undefined;
}

export function checkDfsps(c: Checker, input: unknown): Map<string, DfspInfo> {
  const dfsps = new Map<string, DfspInfo>();
  const list = c.array('dfsps', input, { nonEmpty: true, hint: 'declare every DFSP: { id, currency, ... }' });
  list?.forEach((raw, i) => {
    const path = at('dfsps', i);
    const d = c.object(path, raw);
    if (!d) return;
    c.knownKeys(path, d, DFSP_KEYS);
    const id = c.string(at(path, 'id'), d.id, {
      pattern: DFSP_ID,
      patternMessage: `"${String(d.id)}" is not a valid FSPIOP participant name`,
      hint: '1-32 letters, digits, ".", "_" or "-", e.g. "perffsp-1"',
    });
    const currency = c.string(at(path, 'currency'), d.currency, {
      pattern: CURRENCY,
      patternMessage: `"${String(d.currency)}" is not an ISO 4217 currency code`,
      hint: 'three capital letters, e.g. "USD"',
    });
    c.number(at(path, 'initialPosition'), d.initialPosition, { hint: 'the opening position, usually 0' });
    c.number(at(path, 'liquidity'), d.liquidity, {
      min: 0,
      hint: 'settlement liquidity in major units (1000000 = $1,000,000.00); 0 for a payee-only DFSP',
    });
    c.number(at(path, 'netDebitCap'), d.netDebitCap, {
      min: 0,
      hint: 'the net debit cap in major units; usually equal to the liquidity',
    });
    if (d.callbackBaseUrl !== undefined) checkUrl(c, at(path, 'callbackBaseUrl'), d.callbackBaseUrl);
    if (id === undefined) return;
    if (dfsps.has(id)) {
      c.error(at(path, 'id'), `duplicate DFSP id "${id}"`, 'give every DFSP a unique id');
      return;
    }
    dfsps.set(id, { currency });
  });
  return dfsps;
}

function checkUrl(c: Checker, path: string, v: unknown): void {
  const s = c.string(path, v);
  if (s === undefined) return;
  let url: URL | undefined;
  try {
    url = new URL(s);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    c.error(path, `"${s}" is not an http(s) URL`, 'e.g. "http://127.0.0.1:4000"');
  }
}

export interface CorridorCheck {
  dfsps: Map<string, DfspInfo>;
  /** The transfer currency in force, when the template sets one. */
  currency: string | undefined;
  normaliseWeights: boolean;
  /** The suite's corridor list as given (tests that change the currency are checked against it). */
  suiteCorridors: readonly unknown[];
}

/** Checks a corridor list; returns the weight factor to apply (1, or 1/sum when normalised). */
export function checkCorridors(c: Checker, path: string, input: unknown, ctx: CorridorCheck): number {
  const list = c.array(path, input, {
    nonEmpty: true,
    hint: 'list the payment corridors: { payer, payee, weight }',
  });
  if (!list) return 1;
  let sum = 0;
  let weightsOk = true;
  const seen = new Set<string>();
  list.forEach((raw, i) => {
    const p = at(path, i);
    const k = c.object(p, raw);
    if (!k) {
      weightsOk = false;
      return;
    }
    c.knownKeys(p, k, CORRIDOR_KEYS);
    const payer = checkEnd(c, at(p, 'payer'), k.payer, ctx.dfsps);
    const payee = checkEnd(c, at(p, 'payee'), k.payee, ctx.dfsps);
    c.string(at(p, 'name'), k.name, { required: false });
    const weight = c.number(at(p, 'weight'), k.weight, {
      gt: 0,
      max: 1,
      hint: 'a share of all transfers: 0.4 for 40%',
    });
    if (weight === undefined) weightsOk = false;
    else sum += weight;
    if (payer === undefined || payee === undefined) return;
    if (payer === payee)
      c.error(p, `payer and payee are both "${payer}"`, 'a corridor joins two different DFSPs');
    const key = `${payer}->${payee}`;
    if (seen.has(key)) c.error(p, `duplicate corridor ${key}`, 'merge the two entries and add their weights');
    seen.add(key);
    checkCurrencies(c, p, payer, payee, ctx);
  });
  if (!weightsOk || list.length === 0 || Math.abs(sum - 1) <= WEIGHT_TOLERANCE) return 1;
  const shown = Number(sum.toPrecision(12));
  if (ctx.normaliseWeights) {
    c.warn(path, `weights sum to ${shown}, normalised to 1`, 'make the weights add up to 1 to silence this');
    return 1 / sum;
  }
  c.error(
    path,
    `weights must sum to 1, they sum to ${shown}`,
    'fix the weights, or validate with normaliseWeights (CLI: --normalise-weights) to scale them to 1',
  );
  return 1;
}

function checkEnd(c: Checker, path: string, v: unknown, dfsps: Map<string, DfspInfo>): string | undefined {
  const id = c.string(path, v, { hint: 'the id of a DFSP declared in `dfsps`' });
  if (id === undefined) return undefined;
  if (!dfsps.has(id)) {
    const known = [...dfsps.keys()];
    c.error(
      path,
      `unknown DFSP "${id}"`,
      known.length ? `declare it in \`dfsps\` or use one of: ${known.join(', ')}` : 'declare it in `dfsps`',
    );
    return undefined;
  }
  return id;
}

function checkCurrencies(c: Checker, path: string, payer: string, payee: string, ctx: CorridorCheck): void {
  const a = ctx.dfsps.get(payer)?.currency;
  const b = ctx.dfsps.get(payee)?.currency;
  const want = ctx.currency ?? a;
  if (want === undefined) return;
  for (const [id, cur] of [
    [payer, a],
    [payee, b],
  ] as const) {
    if (cur !== undefined && cur !== want) {
      c.error(
        path,
        `${id} holds ${cur} but transfers here are in ${want}`,
        'both DFSPs of a corridor need an account in the transfer currency',
      );
    }
  }
}

/** Checks a transfer template; `partial` for a test's override. Returns the currency it sets. */
export function checkTransfer(
  c: Checker,
  path: string,
  input: unknown,
  partial: boolean,
): string | undefined {
  const t = c.object(path, input, !partial);
  if (!t) return undefined;
  c.knownKeys(path, t, TRANSFER_KEYS);
  if (!partial || t.amount !== undefined) checkAmount(c, at(path, 'amount'), t.amount);
  const currency = c.string(at(path, 'currency'), t.currency, {
    required: false,
    pattern: CURRENCY,
    patternMessage: `"${String(t.currency)}" is not an ISO 4217 currency code`,
    hint: 'three capital letters, e.g. "USD"',
  });
  c.duration(at(path, 'expiration'), t.expiration, {
    required: !partial,
    positive: true,
    maxMs: LIMITS.expirationMs,
  });
  c.boolean(at(path, 'quote'), t.quote);
  c.boolean(at(path, 'partyLookup'), t.partyLookup);
  c.fraction(at(path, 'payeeRejectRatio'), t.payeeRejectRatio, { required: false });
  return currency;
}

/** `"0.10"` -> `"0.1"`: FSPIOP amounts carry no trailing zeros after the point. */
export function canonicalAmount(s: string): string {
  return /^\d+\.\d*0$/.test(s) ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

function checkAmount(c: Checker, path: string, v: unknown): void {
  const hint = 'a decimal string in major units as FSPIOP sends it: "1", "0.1", "12.5"';
  if (typeof v === 'number') {
    c.error(path, `must be a decimal string, got the number ${v}`, `write it as "${v}"`);
    return;
  }
  const s = c.string(path, v, { hint });
  if (s === undefined) return;
  const canonical = canonicalAmount(s);
  if (!FSPIOP_AMOUNT.test(canonical)) {
    c.error(path, `"${s}" is not an FSPIOP amount`, `${hint}; at most 4 decimals, no leading zeros`);
    return;
  }
  if (Number(canonical) <= 0) {
    c.error(path, 'must be > 0', hint);
    return;
  }
  if (canonical !== s) {
    c.warn(
      path,
      `"${s}" sent as "${canonical}"`,
      `FSPIOP amounts have no trailing zeros: write "${canonical}"`,
    );
  }
}

const BAND_KEYS = ['metric', 'label', 'unit', 'better', 'relative', 'target', 'warning', 'critical'];

export function checkBands(c: Checker, input: unknown): void {
  const list = c.array('bands', input, { required: false });
  const seen = new Set<string>();
  list?.forEach((raw, i) => {
    const p = at('bands', i);
    const b = c.object(p, raw);
    if (!b) return;
    c.knownKeys(p, b, BAND_KEYS);
    const metric = c.oneOf(at(p, 'metric'), b.metric, BAND_METRICS);
    if (metric && seen.has(metric))
      c.error(at(p, 'metric'), `duplicate band for "${metric}"`, 'keep one per metric');
    if (metric) seen.add(metric);
    c.string(at(p, 'label'), b.label);
    c.oneOf(at(p, 'unit'), b.unit, ['tps', 'ratio', 'ms'] as const);
    const better = c.oneOf(at(p, 'better'), b.better, ['higher', 'lower'] as const);
    c.boolean(at(p, 'relative'), b.relative);
    const target = c.number(at(p, 'target'), b.target);
    const warning = c.number(at(p, 'warning'), b.warning);
    const critical = c.number(at(p, 'critical'), b.critical);
    if (better === undefined || target === undefined || warning === undefined || critical === undefined)
      return;
    const ordered =
      better === 'higher'
        ? target >= warning && warning >= critical
        : target <= warning && warning <= critical;
    if (!ordered) {
      c.error(
        p,
        `target ${target}, warning ${warning}, critical ${critical} are out of order`,
        better === 'higher'
          ? 'when higher is better: target >= warning >= critical'
          : 'when lower is better: target <= warning <= critical',
      );
    }
  });
}

export function checkQueries(c: Checker, input: unknown): void {
  const q = c.object('queries', input, false);
  if (!q) return;
  for (const [name, text] of Object.entries(q)) {
    const p = at('queries', name);
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) {
      c.error(
        p,
        `"${name}" is not a valid query name`,
        'letters, digits, "_" and "-", starting with a letter',
      );
    }
    const promql = c.string(p, text, { hint: 'the PromQL text of the query' });
    // PromQL errors (not lint warnings) make the suite invalid: caught before a 4.5-hour run starts.
    if (typeof promql === 'string' && promql.trim() !== '') {
      for (const d of validateQuery(promql)) {
        if (d.severity === 'error') c.error(p, `PromQL at ${d.from}: ${d.message}`, d.hint);
      }
    }
  }
}

export function checkCost(c: Checker, input: unknown): void {
  const cost = c.object('cost', input, false);
  if (!cost) return;
  c.knownKeys('cost', cost, ['perNodeHour', 'nodes', 'currency']);
  c.number(at('cost', 'perNodeHour'), cost.perNodeHour, { min: 0, hint: 'price of one node for one hour' });
  c.number(at('cost', 'nodes'), cost.nodes, {
    min: 1,
    integer: true,
    hint: 'how many nodes the cluster has',
  });
  c.string(at('cost', 'currency'), cost.currency, { required: false });
}

export function checkProfile(c: Checker, input: unknown): void {
  const p = c.object('profile', input, false);
  if (!p) return;
  c.knownKeys('profile', p, ['name', 'timeScale', 'rateCap']);
  c.oneOf(at('profile', 'name'), p.name, ['quick', 'full', 'custom'] as const);
  c.number(at('profile', 'timeScale'), p.timeScale, { gt: 0 });
  c.rate(at('profile', 'rateCap'), p.rateCap, { required: false, gt: 0 });
}
