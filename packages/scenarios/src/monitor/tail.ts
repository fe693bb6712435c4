import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { checkTimeseriesRecord, type TimeseriesRecord } from '@mlperf/core';

/**
 * Follows a live run's timeseries.ndjson: each `read()` returns the complete lines appended since
 * the last call (a half-written last line waits for the next call). Memory stays bounded.
 */
export class TimeseriesTail {
  private offset = 0;
  private partial = '';
  readonly path: string;

  constructor(runDir: string) {
    this.path = join(runDir, 'timeseries.ndjson');
  }

  read(): TimeseriesRecord[] {
    if (!existsSync(this.path)) return [];
    const size = statSync(this.path).size;
    if (size < this.offset) {
      this.offset = 0;
      this.partial = '';
    }
    if (size === this.offset) return [];
    const fd = openSync(this.path, 'r');
    const buf = Buffer.alloc(size - this.offset);
    try {
      readSync(fd, buf, 0, buf.length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    const text = this.partial + buf.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    const out: TimeseriesRecord[] = [];
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        const checked = checkTimeseriesRecord(JSON.parse(line));
        if ('record' in checked) out.push(checked.record);
      } catch {
        // a damaged or invalid line is skipped, as the reader does
      }
    }
    return out;
  }
}
