import net, { type AddressInfo } from 'node:net';
import { Connection, type Http1Handler } from './http1-connection.js';
import type { ParserLimits } from './http1-parser.js';

/**
 * A minimal HTTP/1.1 server on node:net for callback traffic: keep-alive, pipelining,
 * Content-Length and chunked bodies, `Expect: 100-continue`; refuses what it cannot take with
 * 400 / 413 / 417 / 431 / 501 / 505 and closes that connection. No per-request streams.
 */
export class Http1Server {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();

  constructor(handler: Http1Handler, limits: ParserLimits) {
    this.server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
      const c = new Connection(socket, handler, limits);
      this.connections.add(c);
      socket.once('close', () => this.connections.delete(c));
    });
  }

  async listen(port: number, host: string): Promise<{ host: string; port: number }> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const a = this.server.address() as AddressInfo;
    return { host: a.address, port: a.port };
  }

  /** Stops listening and drops every connection. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of this.connections) c.destroy();
    await closed;
  }
}
