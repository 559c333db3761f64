import type { ExportOptions } from './export-options.js';
import type { Runtime } from './runtime.js';
import type { SignalCodec } from './signal-codec.js';

export type { HeadersOption } from './export-options.js';

/** Options of {@link createPipeline}: the export path's, plus the queue's. */
export interface PipelineOptions<T> extends ExportOptions {
  /** How the queued values are counted, sized and serialized. */
  codec: SignalCodec<T>;
  /** Clock, sleep, randomness and the batch timer. */
  runtime: Runtime;
  /** Items per request at most. @default 512 */
  maxBatchItems?: number;
  /** @default 2048 */
  maxQueueItems?: number;
  /** @default 8 MiB */
  maxQueueBytes?: number;
  /** Delay from the first queued value to its export. @default 1000 */
  scheduledDelayMs?: number;
  /** Exports in flight at once. @default 2 */
  maxConcurrentExports?: number;
}

/** Defaults of the queue's numeric options. */
export const QUEUE_DEFAULTS = {
  maxBatchItems: 512,
  maxQueueItems: 2048,
  maxQueueBytes: 8 * 1024 * 1024,
  scheduledDelayMs: 1000,
  maxConcurrentExports: 2,
};
