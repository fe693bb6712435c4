import type { IncomingMessage, ServerResponse } from 'node:http';
import { FspiopError } from '../fspiop/errors.js';
import { errorMessage } from '@mlperf/core';

const MAX_BODY = 1024 * 1024;

/** Reads the request body as text; rejects bodies over 1 MiB with 3101. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new FspiopError('3101', 'request body larger than 1 MiB'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () =>
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FspiopError('3101', `body is not valid JSON: ${errorMessage(err)}`);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': 0 });
  res.end();
}

export function sendFspiopError(res: ServerResponse, err: FspiopError, contentType?: string): void {
  sendJson(
    res,
    err.httpStatus,
    { errorInformation: err.toInformation() },
    contentType ? { 'content-type': contentType } : {},
  );
}
