/**
 * The fixed part of every rendered k6 script (plain JavaScript for k6's runtime, which cannot
 * import mlperf). It relies on `CONFIG` and `options` rendered above it.
 */
export const K6_SCRIPT_BODY = String.raw`const HUB_URL = (__ENV.MLPERF_HUB_URL || CONFIG.hubUrl).replace(/\/+$/, '');
const SIM_URL = (__ENV.MLPERF_DFSP_SIM_URL || CONFIG.dfspSimUrl).replace(/\/+$/, '');
const SECRET = __ENV.MLPERF_FULFILMENT_SECRET || CONFIG.defaultSecret;
const AUTHORIZATION = __ENV.MLPERF_HUB_AUTHORIZATION || '';
const CONTENT_TYPE = 'application/vnd.interoperability.transfers+json;version=1.1';
/** How long past the expiration the outcome may still arrive (the hub's timeout handler). */
const OUTCOME_GRACE_MS = 5000;

const e2e = new Trend(CONFIG.metrics.e2e, true);
const ack = new Trend(CONFIG.metrics.ack, true);
const success = new Rate(CONFIG.metrics.success);

/** @typedef {typeof CONFIG.corridors[number]} Corridor */

/** Cumulative weights, so a corridor is picked with one random number. @type {number[]} */
const CUMULATIVE = [];
let acc = 0;
for (const c of CONFIG.corridors) {
  acc += c.weight;
  CUMULATIVE.push(acc);
}

/** @returns {Corridor} */
function pickCorridor() {
  const r = Math.random() * acc;
  for (let i = 0; i < CUMULATIVE.length; i++) {
    if (r < CUMULATIVE[i]) return CONFIG.corridors[i];
  }
  return CONFIG.corridors[CONFIG.corridors.length - 1];
}

/** @param {Uint8Array} bytes */
function hex(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return s;
}

/** A random UUID v4 (FSPIOP v1.1 transferId). */
function uuid() {
  const b = new Uint8Array(crypto.randomBytes(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = hex(b);
  return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
}

/** @param {string} h */
function fromHex(h) {
  const b = new Uint8Array(h.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return b;
}

/**
 * The 32-byte condition: sha256(fulfilment), fulfilment = HMAC-SHA256(secret, transferId).
 * The DFSP simulator derives the same fulfilment, so it can answer any prepare.
 * @param {string} transferId
 */
function conditionBytes(transferId) {
  const fulfilment = fromHex(crypto.hmac('sha256', SECRET, transferId, 'hex'));
  return fromHex(crypto.sha256(fulfilment.buffer, 'hex'));
}

/** OER length prefix. @param {number} n @returns {number[]} */
function oerLength(n) {
  if (n < 128) return [n];
  /** @type {number[]} */
  const bytes = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length].concat(bytes);
}

/** The ILP expiresAt of a time in ms: 20261127083512345. @param {number} ms */
function ilpTime(ms) {
  return new Date(ms).toISOString().replace(/[-:TZ.]/g, '');
}

/** The constant end of each corridor's packets (destination and data), decoded once. @type {Record<string, Uint8Array>} */
const TAILS = {};
for (const c of CONFIG.corridors) TAILS[c.name] = new Uint8Array(encoding.b64decode(c.ilpTailBase64, 'std'));

/**
 * An Interledger v4 Prepare packet (OER), base64url, laid out as the engine's: type 12, length,
 * amount (uint64), expiresAt (17 digits), condition (32 bytes), destination and data.
 * @param {Corridor} c
 * @param {number} expiresAtMs
 * @param {Uint8Array} condition
 */
function ilpPacket(c, expiresAtMs, condition) {
  const tail = TAILS[c.name];
  const time = ilpTime(expiresAtMs);
  const content = 8 + 17 + 32 + tail.length;
  const head = [12].concat(oerLength(content));
  const out = new Uint8Array(head.length + content);
  out.set(head, 0);
  let o = head.length;
  out.set(fromHex(c.ilpAmountHex), o);
  o += 8;
  for (let i = 0; i < 17; i++) out[o + i] = time.charCodeAt(i);
  o += 17;
  out.set(condition, o);
  out.set(tail, o + 32);
  return encoding.b64encode(out.buffer, 'rawurl');
}

/** @param {Corridor} c */
function prepareHeaders(c) {
  /** @type {Record<string, string>} */
  const h = {
    Accept: CONTENT_TYPE,
    'Content-Type': CONTENT_TYPE,
    Date: new Date().toUTCString(),
    'FSPIOP-Source': c.payer,
    'FSPIOP-Destination': c.payee,
  };
  if (AUTHORIZATION) h.Authorization = AUTHORIZATION;
  return h;
}

/** Error type of a failed response, as mlperf's results name them. */
/** @param {import('k6/http').Response} res */
function errorType(res) {
  if (res.status === 0) return res.error_code === 1050 ? 'timeout' : 'connection';
  try {
    const body = JSON.parse(String(res.body));
    const code = body && body.errorInformation && body.errorInformation.errorCode;
    if (code) return 'fspiop:' + code;
  } catch (_) {
    // not JSON: fall through to the HTTP status
  }
  return 'http:' + res.status;
}

/**
 * @param {string} type
 * @param {Record<string, string>} tags
 */
function failed(type, tags) {
  success.add(0, Object.assign({ error_type: type }, tags));
}

/** Waits until the DFSP simulator answers, so the first arrivals do not fail while it starts. */
export function setup() {
  for (let i = 0; i < 60; i++) {
    const res = http.get(SIM_URL + '/health', { tags: { name: 'dfsp-sim health' }, timeout: '2s' });
    if (res.status === 200) return { simReadyAfterS: i };
    sleep(1);
  }
  throw new Error('DFSP simulator not ready at ' + SIM_URL + '/health after 60s');
}

export default function () {
  const c = pickCorridor();
  const tags = { corridor: c.name };
  const transferId = uuid();
  const sentAt = Date.now();
  const expiresAt = sentAt + CONFIG.expirationMs;
  const condition = conditionBytes(transferId);
  const body = JSON.stringify({
    transferId: transferId,
    payerFsp: c.payer,
    payeeFsp: c.payee,
    amount: { amount: c.amount, currency: c.currency },
    ilpPacket: ilpPacket(c, expiresAt, condition),
    condition: encoding.b64encode(condition.buffer, 'rawurl'),
    expiration: new Date(expiresAt).toISOString(),
  });
  const res = http.post(HUB_URL + '/transfers', body, {
    headers: prepareHeaders(c),
    tags: { corridor: c.name, name: 'POST /transfers' },
    timeout: CONFIG.expirationMs + 'ms',
  });
  ack.add(res.timings.duration, tags);
  if (res.status !== 202) {
    failed(errorType(res), tags);
    return;
  }
  const waitMs = Math.max(0, sentAt + CONFIG.expirationMs + OUTCOME_GRACE_MS - Date.now());
  const out = http.get(SIM_URL + '/outcomes/' + transferId + '?waitMs=' + waitMs + '&sentAt=' + sentAt, {
    tags: { corridor: c.name, name: 'GET outcome' },
    timeout: waitMs + 5000 + 'ms',
  });
  const elapsed = Date.now() - sentAt;
  if (out.status !== 200) {
    failed(out.status === 0 ? 'connection' : 'sim:' + out.status, tags);
    return;
  }
  const outcome = JSON.parse(String(out.body));
  if (outcome.state === 'COMMITTED') {
    success.add(1, tags);
    e2e.add(elapsed, tags);
  } else if (outcome.state === 'ABORTED') {
    failed(outcome.errorType || 'aborted', tags);
  } else {
    failed('timeout', tags);
  }
}

/** Prints the end-of-test summary as one JSON line between markers (k6-operator pods have no files to collect). */
/** @param {object} data */
export function handleSummary(data) {
  const line = JSON.stringify(data);
  /** @type {Record<string, string>} */
  const out = { stdout: '\n' + CONFIG.summaryBegin + '\n' + line + '\n' + CONFIG.summaryEnd + '\n' };
  if (__ENV.MLPERF_SUMMARY_FILE) out[__ENV.MLPERF_SUMMARY_FILE] = line;
  return out;
}
`;
