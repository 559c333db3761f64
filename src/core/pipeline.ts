import { createBatchQueue } from './batch-queue.js';
import { type CircuitBreaker, createCircuitBreaker } from './circuit-breaker.js';
import { Code } from './code.js';
import { createExportCall, type ExportOutcome } from './export-call.js';
import { OtlpError } from './otlp-error.js';
import { type PipelineOptions, resolvePipelineOptions } from './pipeline-options.js';
import type { Timer } from './runtime.js';
import { createSelfMetrics, type DropReason, type SelfMetricsSnapshot } from './self-metrics.js';

export type { ExportOutcome } from './export-call.js';
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

/** Creates the export pipeline every exporter and transport shares. */
export function createPipeline<T>(options: PipelineOptions<T>): Pipeline<T> {
  const o = resolvePipelineOptions(options);
  const { codec, runtime } = o;
  const metrics = createSelfMetrics(codec.signal, o.meter);
  const breaker: CircuitBreaker | undefined =
    o.circuitBreaker && createCircuitBreaker(o.circuitBreaker);
  let rotation = 0;
  let keepaliveInflight = 0;
  const call = createExportCall(o, metrics, () => rotation++, {
    admit(bytes) {
      // A lone request may use the whole budget; the web transport drops keepalive past 64 KiB.
      if (keepaliveInflight > 0 && keepaliveInflight + bytes > o.keepaliveBudgetBytes) return false;
      keepaliveInflight += bytes;
      return true;
    },
    release(bytes) {
      keepaliveInflight -= bytes;
    },
  });
  const queue = createBatchQueue(codec, o, metrics.data);
  const inflight = new Set<Promise<unknown>>();
  let timer: Timer | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;

  const drop = (reason: DropReason, items: number, message: string) => {
    metrics.dropped(reason, items);
    const code =
      reason === 'queue_full' || reason === 'too_large' ? Code.ResourceExhausted : Code.Unavailable;
    o.onError?.(new OtlpError(message, code), { signal: codec.signal, items, reason });
  };

  const run = async (values: T[], items: number, keepalive: boolean): Promise<ExportOutcome> => {
    const outcome = await call(values, items, keepalive);
    if (outcome.deferred) {
      queue.requeue(values, items);
      schedule();
      return { ...outcome, ok: true, code: Code.Ok };
    }
    if (outcome.ok) breaker?.success();
    else breaker?.failure(runtime.now());
    return outcome;
  };

  const track = <R>(promise: Promise<R>): Promise<R> => {
    inflight.add(promise);
    metrics.data.inflightExports = inflight.size;
    const done = () => {
      inflight.delete(promise);
      metrics.data.inflightExports = inflight.size;
    };
    promise.then(done, done);
    return promise;
  };

  const schedule = () => {
    if (timer || queue.length === 0 || closed) return;
    const wait =
      breaker?.state === 'open'
        ? Math.max(0, breaker.reopensAt - runtime.now())
        : o.scheduledDelayMs;
    timer = runtime.setTimer(() => {
      timer = undefined;
      pump(true, false);
    }, wait);
  };

  /** Starts exports while there is room; `all` also sends a partial batch. */
  const pump = (all: boolean, keepalive: boolean) => {
    while (queue.length > 0 && inflight.size < o.maxConcurrentExports) {
      if (!all && metrics.data.queuedItems < o.maxBatchItems) break;
      if (breaker && !breaker.tryAcquire(runtime.now())) break;
      const { values, items } = queue.take(
        keepalive ? Math.min(o.maxRequestBytes, o.keepaliveBudgetBytes) : o.maxRequestBytes,
      );
      void track(run(values, items, keepalive)).then(() => pump(false, false));
    }
    metrics.data.circuitState = breaker?.state ?? 'closed';
    schedule();
  };

  const forceFlush = async (flushOptions?: { keepalive?: boolean }) => {
    const keepalive = flushOptions?.keepalive ?? false;
    for (;;) {
      const deferredBefore = metrics.data.deferredItems;
      pump(true, keepalive);
      if (inflight.size === 0) return;
      await Promise.all(inflight);
      // A keepalive flush stops once the budget turns values away: the page is going.
      if (keepalive && metrics.data.deferredItems > deferredBefore) return;
    }
  };

  return {
    enqueue(value) {
      if (closed) {
        throw new OtlpError(
          `the ${codec.signal} pipeline has been shut down; nothing more can be queued`,
          Code.FailedPrecondition,
        );
      }
      const count = codec.count(value);
      if (count === 0) return true;
      const size = codec.size(value);
      if (size > o.maxRequestBytes) {
        drop(
          'too_large',
          count,
          `a ${codec.signal} value of ${size} bytes exceeds maxRequestBytes (${o.maxRequestBytes}); dropped ${count} items`,
        );
        return false;
      }
      const d = metrics.data;
      if (d.queuedItems + count > o.maxQueueItems || d.queuedBytes + size > o.maxQueueBytes) {
        drop(
          'queue_full',
          count,
          `${codec.signal} queue full (${d.queuedItems}/${o.maxQueueItems} items, ${d.queuedBytes}/${o.maxQueueBytes} bytes); dropped ${count} items`,
        );
        return false;
      }
      queue.push({ value, count, size });
      pump(false, false);
      return true;
    },

    async export(values, exportOptions) {
      const keepalive = exportOptions?.keepalive ?? false;
      // Keepalive requests are cut small enough for the browser's budget (before compression,
      // so they surely fit after it).
      const maxBytes = keepalive
        ? Math.min(o.maxRequestBytes, o.keepaliveBudgetBytes)
        : o.maxRequestBytes;
      const { chunks, tooLarge } = queue.cut(values, maxBytes);
      const outcome: ExportOutcome = {
        ok: true,
        code: Code.Ok,
        message: '',
        items: 0,
        rejected: 0,
        attempts: 0,
      };
      if (tooLarge > 0) {
        const message = `${codec.signal} values holding ${tooLarge} items each exceed maxRequestBytes (${o.maxRequestBytes}); dropped`;
        drop('too_large', tooLarge, message);
        Object.assign(outcome, {
          ok: false,
          code: Code.ResourceExhausted,
          message,
          items: tooLarge,
          dropReason: 'too_large',
        });
      }
      const send = (chunk: { values: T[]; items: number }): Promise<ExportOutcome> => {
        if (breaker && !breaker.tryAcquire(runtime.now())) {
          const message = `${codec.signal} export of ${chunk.items} items not sent: circuit breaker open after repeated failures`;
          drop('circuit_open', chunk.items, message);
          return Promise.resolve({
            ok: false,
            code: Code.Unavailable,
            message,
            items: chunk.items,
            rejected: 0,
            attempts: 0,
            dropReason: 'circuit_open',
          });
        }
        return track(run(chunk.values, chunk.items, keepalive));
      };
      // On page unload every chunk must be on its way before the page goes: all at once,
      // the keepalive budget deciding what waits. Otherwise one at a time.
      const results: ExportOutcome[] = [];
      if (keepalive) results.push(...(await Promise.all(chunks.map(send))));
      else for (const chunk of chunks) results.push(await send(chunk));
      for (const result of results) {
        outcome.items += result.items;
        outcome.rejected += result.rejected;
        outcome.attempts = Math.max(outcome.attempts, result.attempts);
        if (outcome.ok && !result.ok) {
          Object.assign(outcome, { ok: false, code: result.code, message: result.message });
          if (result.dropReason) outcome.dropReason = result.dropReason;
        } else if (outcome.ok && result.message) outcome.message = result.message;
      }
      return outcome;
    },

    forceFlush,

    shutdown() {
      closing ??= (async () => {
        closed = true;
        await forceFlush();
        timer?.cancel();
        timer = undefined;
        const left = queue.clear();
        if (left > 0) {
          drop(
            'shutdown',
            left,
            `${codec.signal} pipeline shut down with ${left} items unsent (circuit open)`,
          );
        }
        await o.transport.close();
      })();
      return closing;
    },

    metrics() {
      const d = metrics.data;
      return {
        ...d,
        failuresByCode: { ...d.failuresByCode },
        droppedByReason: { ...d.droppedByReason },
        latency: { ...d.latency },
        circuitState: breaker?.state ?? 'closed',
      };
    },
  };
}
