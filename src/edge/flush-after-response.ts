import type { Signal } from '../core/signal-codec.js';

/**
 * The part of a Worker's `ExecutionContext` (or Vercel's `context`, or a `FetchEvent`)
 * this package needs: work registered here outlives the response, within the platform's
 * budget (30 s on Cloudflare Workers). Deno and Bun servers live on, so there
 * `{ waitUntil: (p) => void p }` is enough.
 */
export interface WaitUntilContext {
  waitUntil(promise: Promise<unknown>): void;
}

/** What one flush of one signal did: the items it held and whether the backend took them. */
export interface FlushReport {
  signal: Signal;
  /** Spans, log records or metric data points handed to the exporter. */
  items: number;
  /** True when the export succeeded (or there was nothing to send). */
  ok: boolean;
  /**
   * Why not, when not: an OtlpError whose code is the final gRPC status. The exporter's
   * self-metrics count the items under a drop reason and its `onError` has been called.
   */
  error?: Error;
}

/** Something holding one request's telemetry that can be sent in one go. */
export interface Flushable {
  /** Exports what was collected; never rejects: failures are in the report. */
  flush(): Promise<FlushReport>;
}

/**
 * Sends each buffer's telemetry once, inside `ctx.waitUntil`, so the response is not held
 * up and no timer is needed (Workers allow none in global scope, and an idle isolate may be
 * frozen before a batch timer fires). The exporters' deadline, shorter than the waitUntil
 * budget, bounds the work; what it cannot send is counted, never silently lost.
 * Returns the same work, for callers that want the reports.
 *
 * @example
 * const response = await handle(request);
 * flushAfterResponse(ctx, spans, logs);
 * return response;
 */
export function flushAfterResponse(
  ctx: WaitUntilContext,
  ...buffers: readonly Flushable[]
): Promise<FlushReport[]> {
  const flushing = Promise.all(buffers.map((buffer) => buffer.flush()));
  ctx.waitUntil(flushing);
  return flushing;
}

/** A {@link WaitUntilContext} for servers that have none (Deno, Bun), drained on shutdown. */
export interface BackgroundTasks extends WaitUntilContext {
  /** Work registered and not yet settled. */
  readonly pending: number;
  /** Resolves once every registered task has settled, e.g. before exiting on SIGTERM. */
  drain(): Promise<void>;
}

/**
 * Tracks work registered with `waitUntil` so a long-running server (Deno.serve,
 * Bun.serve) can wait for the last flushes before it exits, instead of losing them.
 */
export function createBackgroundTasks(): BackgroundTasks {
  const tasks = new Set<Promise<unknown>>();
  return {
    waitUntil(promise) {
      const task = promise.then(
        () => {},
        () => {},
      );
      tasks.add(task);
      void task.then(() => tasks.delete(task));
    },
    get pending() {
      return tasks.size;
    },
    async drain() {
      while (tasks.size > 0) await Promise.all(tasks);
    },
  };
}
