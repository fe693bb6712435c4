// One GET through the engine's HTTP/1.1 client, for tests that need a fresh process (NODE_EXTRA_CA_CERTS):
//   node --conditions=source --import tsx http1-client-get.ts <url>   -> prints "<status> <body>"
import { Http1Pool } from '../../src/engine/http1-client.js';

const url = new URL(process.argv[2] as string);
const pool = new Http1Pool(url, 1);
let status = 0;
let body = '';
pool.dispatch('GET', url.pathname, {}, '', {
  onConnect: () => {},
  onHeaders: (s) => {
    status = s;
  },
  onData: (c) => {
    body += c.toString('utf8');
  },
  onComplete: () => {
    process.stdout.write(`${status} ${body}\n`);
    pool.close();
  },
  onError: (err) => {
    process.stdout.write(`error ${err.message}\n`);
    pool.close();
  },
});
