/** The bytes of the callback server's answers: empty ones prebuilt per status and second. */

const REASONS: Record<number, string> = {
  100: 'Continue',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  417: 'Expectation Failed',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'HTTP Version Not Supported',
};

/** Seconds after which an idle keep-alive connection is closed (told to clients in Keep-Alive). */
export const KEEP_ALIVE_S = 65;

export const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');

let second = 0;
let date = '';
const empty = new Map<number, Buffer>();

function dateNow(): string {
  const s = Math.floor(Date.now() / 1000);
  if (s !== second) {
    second = s;
    date = new Date(s * 1000).toUTCString();
    empty.clear();
  }
  return date;
}

function statusLine(status: number, close: boolean): string {
  const reason = REASONS[status] ?? 'Unknown';
  const conn = close ? 'Connection: close' : `Connection: keep-alive\r\nKeep-Alive: timeout=${KEEP_ALIVE_S}`;
  return `HTTP/1.1 ${status} ${reason}\r\nDate: ${dateNow()}\r\n${conn}\r\n`;
}

/** An answer without a body (`Content-Length: 0`); the keep-alive ones are built once a second. */
export function emptyAnswer(status: number, close: boolean): Buffer {
  if (close) return Buffer.from(`${statusLine(status, true)}Content-Length: 0\r\n\r\n`, 'latin1');
  dateNow(); // a new second empties the cache
  let b = empty.get(status);
  if (!b) {
    b = Buffer.from(`${statusLine(status, false)}Content-Length: 0\r\n\r\n`, 'latin1');
    if (empty.size < 64) empty.set(status, b);
  }
  return b;
}

/** An answer with a body (UTF-8). */
export function bodyAnswer(status: number, body: string, contentType: string, close: boolean): Buffer {
  const head = `${statusLine(status, close)}Content-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body, 'utf8')]);
}
