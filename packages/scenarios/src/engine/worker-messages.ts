import type { PeriodWire } from './period-wire.js';
import type { RunEnd } from './result.js';
import type { SecondSample } from './second-ledger.js';
import type { SecondSignal } from './rules.js';
import type { LoadEngineOptions } from './types.js';

/** A worker's options: the engine's, without the callbacks (they stay in the coordinator). */
export type WorkerOptions = Omit<LoadEngineOptions, 'log' | 'onSecond'>;

export interface WorkerInit {
  index: number;
  options: WorkerOptions;
}

/** Coordinator -> worker. `start.atMs` is on the shared clock (timeOrigin + now); signal times are ms from the start. */
export type ToWorker =
  | { type: 'start'; atMs: number; wallMs: number }
  | { type: 'abort'; reason: string }
  | { type: 'signal'; signal: NonNullable<SecondSignal>; atMs: number }
  | { type: 'metrics'; id: number; contentType: string; text: string }
  | { type: 'close' };

/** Worker -> coordinator. */
export type FromWorker =
  | { type: 'listening'; url: string }
  | { type: 'second'; period: PeriodWire; sample: SecondSample }
  | { type: 'live'; s: number; rate: number; period: PeriodWire; stopRuleActive: boolean }
  | { type: 'recovery'; stage: number }
  | { type: 'log'; line: string }
  | { type: 'metrics?'; id: number }
  | { type: 'end'; end: RunEnd }
  | { type: 'failed'; message: string }
  | { type: 'closed' };
