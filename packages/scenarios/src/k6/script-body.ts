/**
 * The fixed part of every rendered k6 script (plain JavaScript for k6's runtime, which cannot
 * import mlperf). It relies on `CONFIG` and `options` rendered above it.
 */
export const K6_SCRIPT_BODY = String.raw`const HUB_URL = (__ENV.MLPERF_HUB_URL || CONFIG.hubUrl).replace(/\/+$/, '');
const SIM_URL = (__ENV.MLPERF_DFSP_SIM_URL || CONFIG.dfspSimUrl).replace(/\/+$/, '');
const SECRET = __ENV.MLPERF_FULFILMENT_SECRET || CONFIG.defaultSecret;
const AUTHORIZATION = __ENV.MLPERF_HUB_AUTHORIZATION || '';
const CONTENT_TYPE = 'application/vnd.interoperability.transfers+json;version=1.1';

const ack = new Trend(CONFIG.metrics.ack, true);
const accepted = new Rate(CONFIG.metrics.accepted);

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

/**
 * A UUID v4 layout (FSPIOP v1.1 transferId) whose first 48 bits are the transfer's start in unix
 * ms, the rest random: the DFSP simulator reads the start from the id when the payer's callback
 * arrives, so the end-to-end time is measured there and the VU is free as soon as the hub answers.
 * @param {number} startMs
 */
function transferIdAt(startMs) {
  const b = new Uint8Array(crypto.randomBytes(16));
  let t = startMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
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

/** Waits until the DFSP simulator answers, so the first arrivals do not fail while it starts. */
export function setup() {
  for (let i = 0; i < 60; i++) {
    const res = http.get(SIM_URL + '/health', { tags: { name: 'dfsp-sim health' }, timeout: '2s' });
    if (res.status === 200) return { simReadyAfterS: i };
    sleep(1);
  }
  throw new Error('DFSP simulator not ready at ' + SIM_URL + '/health after 60s');
}

/**
 * One transfer: the prepare is sent and its acknowledgement recorded; the outcome (the payer's
 * callback) and the end-to-end time are recorded by the DFSP simulator, as Mojaloop's own
 * performance harness does with its callback handler.
 */
export default function () {
  const c = pickCorridor();
  const startMs = Date.now();
  const transferId = transferIdAt(startMs);
  const expiresAt = startMs + CONFIG.expirationMs;
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
  ack.add(res.timings.duration, { corridor: c.name });
  if (res.status === 202) accepted.add(1, { corridor: c.name });
  else accepted.add(0, { corridor: c.name, error_type: errorType(res) });
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
