import { setTimeout as sleep } from 'node:timers/promises';
import type { Emulation } from './emulation.js';
import type { HubKnobs, HubService, HubStage, StageKnobs } from './types.js';

/** A worker's time owed: service times below 1 ms accumulate and are slept in whole milliseconds. */
export class Clock {
  private debt = 0;
  async spend(ms: number): Promise<void> {
    if (ms <= 0) return;
    this.debt += ms;
    if (this.debt < 1) return;
    const start = performance.now();
    await sleep(Math.floor(this.debt));
    // Timer overshoot is credited (bounded), so a busy event loop does not shrink the modelled capacity.
    this.debt = Math.max(-25, this.debt - (performance.now() - start));
  }
}

/** A FIFO without Array#shift's cost. */
class Fifo<T> {
  private items: (T | undefined)[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  push(v: T): void {
    this.items.push(v);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const v = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return v;
  }
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return out;
  }
}

export interface Partition<M> {
  queue: Fifo<M>;
  /** Kafka offsets: produced (log end) and committed by the consumer group. */
  produced: number;
  committed: number;
}

interface Consumer {
  partitions: number[];
  next: number;
  waiters: (() => void)[];
}

/** A connection pool with a size, a query time and a wait queue (the emulated MySQL pool). */
export class DbPool {
  open = 0;
  busy = 0;
  private waiters: { resolve: (ok: boolean) => void; timer: NodeJS.Timeout }[] = [];
  private readonly clocks: Clock[] = [];
  private lastUse = Date.now();
  readonly idleCloseMs = 10_000;

  constructor(
    private readonly knobs: () => HubKnobs,
    private readonly emu: Emulation,
    private readonly onWait: (seconds: number) => void,
  ) {}

  get waiting(): number {
    return this.waiters.length;
  }

  /** Runs one query; false when no connection came within the acquire timeout. */
  async query(): Promise<boolean> {
    const k = this.knobs().dbPool;
    const start = performance.now();
    if (this.busy >= k.size || !this.emu.available('mysql')) {
      const ok = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          const i = this.waiters.findIndex((w) => w.timer === timer);
          if (i >= 0) this.waiters.splice(i, 1);
          resolve(false);
        }, k.acquireTimeoutMs);
        this.waiters.push({ resolve, timer });
      });
      this.onWait((performance.now() - start) / 1000);
      if (!ok) return false;
    } else {
      this.busy++;
      this.onWait(0);
    }
    this.open = Math.max(this.open, this.busy);
    this.lastUse = Date.now();
    const clock = this.clocks.pop() ?? new Clock();
    try {
      const delay = this.emu.cpu('mysql', k.queryTimeMs);
      await clock.spend(k.queryTimeMs + delay);
    } finally {
      this.clocks.push(clock);
      this.release();
    }
    return true;
  }

  private release(): void {
    const w = this.waiters.shift();
    if (w && this.busy <= this.knobs().dbPool.size) {
      clearTimeout(w.timer);
      w.resolve(true); // the connection passes to the waiter
      return;
    }
    this.busy--;
  }

  /** Closes idle connections (as a pool's idle timeout does); called once a second. */
  tick(): void {
    const size = this.knobs().dbPool.size;
    if (this.open > size) this.open = Math.max(size, this.busy);
    if (Date.now() - this.lastUse > this.idleCloseMs) this.open = this.busy;
    while (this.waiters.length > 0 && this.busy < size) {
      const w = this.waiters.shift()!;
      clearTimeout(w.timer);
      this.busy++;
      w.resolve(true);
    }
  }

  stop(): void {
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(false);
    }
  }
}

export interface StageContext {
  emu: Emulation;
  pool: DbPool;
  knobs: () => HubKnobs;
  /** Observes the handler time (seconds) and success. */
  observe: (stage: HubStage, seconds: number, ok: boolean) => void;
}

/**
 * A Kafka topic with its consumer group: `partitions` FIFOs, `consumers` each owning
 * `partition % consumers`, `inFlightPerConsumer` workers per consumer.
 */
export class Stage<M> {
  partitions: Partition<M>[] = [];
  private consumers: Consumer[] = [];
  private generation = 0;
  private rr = 0;
  private stopped = false;

  constructor(
    readonly name: HubStage,
    readonly topic: string,
    readonly group: string,
    readonly service: HubService,
    private readonly ctx: StageContext,
    private readonly handler: (msg: M, dbOk: boolean) => Promise<boolean> | boolean,
  ) {
    this.configure(ctx.knobs().stages[name]);
  }

  private shape = '';

  /** Rebuilds partitions and consumers when their counts changed; queued messages are re-produced. */
  configure(k: StageKnobs): void {
    const shape = `${k.partitions}/${k.consumers}/${k.inFlightPerConsumer}`;
    if (shape === this.shape) return;
    this.shape = shape;
    const pending = this.partitions.flatMap((p) => p.queue.drain());
    const gen = ++this.generation;
    for (const c of this.consumers) for (const w of c.waiters.splice(0)) w();
    this.partitions = Array.from({ length: k.partitions }, () => ({
      queue: new Fifo<M>(),
      produced: 0,
      committed: 0,
    }));
    this.consumers = Array.from({ length: Math.min(k.consumers, k.partitions) }, () => ({
      partitions: [],
      next: 0,
      waiters: [],
    }));
    for (let i = 0; i < this.partitions.length; i++)
      this.consumers[i % this.consumers.length]!.partitions.push(i);
    for (const c of this.consumers) {
      for (let i = 0; i < k.inFlightPerConsumer; i++) void this.work(c, gen);
    }
    for (const m of pending) this.produce(this.rr++, m);
  }

  /** Appends to partition `key % partitions`; pass a DFSP index to key by participant. */
  produce(key: number | undefined, msg: M): void {
    const n = this.partitions.length;
    const idx = (key ?? this.rr++) % n;
    const p = this.partitions[idx]!;
    p.queue.push(msg);
    p.produced++;
    const c = this.consumers[idx % this.consumers.length]!;
    c.waiters.pop()?.();
  }

  private take(c: Consumer): { msg: M; p: Partition<M> } | undefined {
    for (let i = 0; i < c.partitions.length; i++) {
      const idx = c.partitions[(c.next + i) % c.partitions.length]!;
      const p = this.partitions[idx]!;
      const msg = p.queue.shift();
      if (msg !== undefined) {
        c.next = (c.next + i + 1) % c.partitions.length;
        return { msg, p };
      }
    }
    return undefined;
  }

  private async work(c: Consumer, gen: number): Promise<void> {
    const clock = new Clock();
    const { emu, pool, knobs, observe } = this.ctx;
    while (!this.stopped && gen === this.generation) {
      if (!emu.available(this.service)) {
        await emu.whenAvailable(this.service);
        continue;
      }
      const item = this.take(c);
      if (!item) {
        await new Promise<void>((resolve) => c.waiters.push(resolve));
        continue;
      }
      const start = performance.now();
      const k = knobs();
      const sk = k.stages[this.name];
      let ok = true;
      try {
        const delay = emu.cpu(this.service, sk.serviceTimeMs);
        let hold = sk.serviceTimeMs + delay;
        const f = k.faults;
        if (f.latencyStage === this.name && (f.latencyMs > 0 || f.latencyJitterMs > 0)) {
          if (f.latencyRatio >= 1 || Math.random() < f.latencyRatio)
            hold += f.latencyMs + Math.random() * f.latencyJitterMs;
        }
        await clock.spend(hold);
        for (let q = 0; q < sk.queries && ok; q++) ok = await pool.query();
        ok = await this.handler(item.msg, ok);
      } catch {
        ok = false;
      }
      item.p.committed++;
      observe(this.name, (performance.now() - start) / 1000, ok);
    }
  }

  lag(): number {
    let n = 0;
    for (const p of this.partitions) n += p.produced - p.committed;
    return n;
  }

  clear(): void {
    for (const p of this.partitions) {
      p.committed += p.queue.length;
      p.queue.drain();
    }
  }

  stop(): void {
    this.stopped = true;
    for (const c of this.consumers) for (const w of c.waiters.splice(0)) w();
  }
}
