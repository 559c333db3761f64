import { createBatchQueue } from './batch-queue.js';
import { type Chunk, cutChunks } from './chunk.js';
import { FAILED_PRECONDITION } from './code.js';
import { createExportCore, type ExportOutcome } from './export-core.js';
import { mergeOutcomes } from './export-outcome.js';
import { numberOptions } from './number-options.js';
import { OtlpError } from './otlp-error.js';
import { type PipelineOptions, QUEUE_DEFAULTS } from './pipeline-options.js';
import type { Timer } from './runtime.js';
import type { SelfMetricsSnapshot } from './self-metrics.js';
import type { EncodedRequest } from './signal-codec.js';

export type { ExportOutcome } from './export-core.js';
export type { HeadersOption, PipelineOptions } from './pipeline-options.js';

/** One signal's export pipeline: item -> batch -> encode -> compress -> transport -> retry. */
export interface Pipeline<T> {
  /**
   * Queues a value for batched export. Over the queue limits it is dropped, counted
   * (`queue_full`, or `too_large` when it alone exceeds the request limit) and reported
   * through onError, and false is returned. After shutdown it throws.
   */
  enqueue(value: T): boolean;
  /** Exports these values now, bypassing the queue, for callers that batch themselves. */
  export(values: T[], options?: { keepalive?: boolean }): Promise<ExportOutcome>;
  /** Exports everything queued. While the circuit is open nothing is sent and the values stay queued. */
  forceFlush(options?: { keepalive?: boolean }): Promise<void>;
  /** Flushes, counts what could not be sent as `shutdown`, refuses new values, closes the transport. */
  shutdown(): Promise<void>;
  metrics(): SelfMetricsSnapshot;
}

/**
 * Creates the queued export pipeline of `createOtlpClient`: the export core
 * ({@link createExportCore}) plus a bounded queue, a flush timer and a pump that keeps
 * at most `maxConcurrentExports` requests in flight.
 */
export function createPipeline<T>(options: PipelineOptions<T>): Pipeline<T> {
  const core = createExportCore(options);
  const { codec, runtime } = options;
  const breaker = options.circuitBreaker;
  const { maxBatchItems, maxQueueItems, maxQueueBytes, scheduledDelayMs, maxConcurrentExports } =
    numberOptions(options, QUEUE_DEFAULTS, ['scheduledDelayMs']);
  const d = core.data;
  const encode = (chunk: Chunk<T>): EncodedRequest => ({
    bytes: codec.encode(chunk.values),
    count: chunk.items,
  });
  const queue = createBatchQueue<T>(d);
  const inflight = new Set<Promise<unknown>>();
  let timer: Timer | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;

  const track = <R>(promise: Promise<R>): Promise<R> => {
    inflight.add(promise);
    d.inflightExports = inflight.size;
    const done = () => {
      inflight.delete(promise);
      d.inflightExports = inflight.size;
    };
    promise.then(done, done);
    return promise;
  };

  const waiting = () => d.queuedItems > 0;

  const schedule = () => {
    if (timer || !waiting() || closed) return;
    const wait =
      breaker?.state === 'open' ? Math.max(0, breaker.reopensAt - runtime.now()) : scheduledDelayMs;
    timer = runtime.setTimer(() => {
      timer = undefined;
      pump(true, false);
    }, wait);
  };

  /** Starts exports while there is room; `all` also sends a partial batch. */
  const pump = (all: boolean, keepalive: boolean) => {
    // What an earlier keepalive flush held back goes first, each request once per pump: one
    // the budget turns away again goes back to be held, for the next flush.
    let held = core.heldRequests;
    while ((held > 0 || queue.length > 0) && inflight.size < maxConcurrentExports) {
      if (!all && d.queuedItems < maxBatchItems) break;
      if (breaker && !breaker.tryAcquire(runtime.now())) break;
      const request =
        held-- > 0
          ? core.takeHeld(1)[0]!
          : encode(queue.take(maxBatchItems, core.maxBytes(keepalive)));
      void track(core.send(request, keepalive)).then((outcome) => {
        if (outcome.deferred) schedule();
        pump(false, false);
      });
    }
    d.circuitState = breaker?.state ?? 'closed';
    schedule();
  };

  const forceFlush = async (flushOptions?: { keepalive?: boolean }) => {
    const keepalive = flushOptions?.keepalive ?? false;
    for (;;) {
      const deferredBefore = d.deferredItems;
      pump(true, keepalive);
      if (inflight.size === 0) return;
      await Promise.all(inflight);
      // A keepalive flush stops once the budget turns values away: the page is going.
      if (keepalive && d.deferredItems > deferredBefore) return;
    }
  };

  return {
    enqueue(value) {
      const { signal } = codec;
      if (closed) {
        throw new OtlpError(
          `the ${signal} pipeline has been shut down; nothing more can be queued`,
          FAILED_PRECONDITION,
        );
      }
      const count = codec.count(value);
      if (count === 0) return true;
      const size = codec.size(value);
      const limit = core.maxBytes(false);
      if (size > limit) {
        core.drop(
          'too_large',
          count,
          `a ${signal} value of ${size} bytes exceeds maxRequestBytes (${limit}); dropped ${count} items`,
        );
        return false;
      }
      if (d.queuedItems + count > maxQueueItems || d.queuedBytes + size > maxQueueBytes) {
        core.drop(
          'queue_full',
          count,
          `${signal} queue full (${d.queuedItems}/${maxQueueItems} items, ${d.queuedBytes}/${maxQueueBytes} bytes); dropped ${count} items`,
        );
        return false;
      }
      queue.push({ value, count, size });
      pump(false, false);
      return true;
    },

    export(values, exportOptions) {
      const keepalive = exportOptions?.keepalive;
      const chunks = cutChunks(codec, values, maxBatchItems, core.maxBytes(keepalive ?? false));
      return track(core.export(chunks.map(encode), keepalive)).then((outcomes) => {
        const outcome = mergeOutcomes(outcomes);
        schedule();
        return outcome;
      });
    },

    forceFlush,

    shutdown() {
      closing ??= (async () => {
        closed = true;
        await forceFlush();
        timer?.cancel();
        timer = undefined;
        // Only an open circuit leaves values behind after a flush.
        await core.close(queue.clear());
      })();
      return closing;
    },

    metrics: core.metrics,
  };
}
