import { type Chunk, cutChunks } from './chunk.js';
import { Code } from './code.js';
import { EXPORT_DEFAULTS, type ExportOptions } from './export-options.js';
import { type ExportOutcome, mergeOutcomes, outcome } from './export-outcome.js';
import { numberOptions } from './number-options.js';
import { OtlpError } from './otlp-error.js';
import { decideRetry, resolveRetry } from './retry-policy.js';
import {
  copySelfMetrics,
  countExported,
  countFailedAttempt,
  createSelfMetrics,
  type DropReason,
  type SelfMetricsSnapshot,
} from './self-metrics.js';

export type { ExportOutcome } from './export-outcome.js';

import type { TransportResult } from './transport.js';
import { USER_AGENT } from './version.js';

/**
 * One signal's export path without a queue: cut -> encode -> compress -> send -> retry,
 * with the keepalive budget and the self-metrics. The OpenTelemetry SDK exporters use it
 * directly (the SDK's processors batch already); `createPipeline` adds the queue, the
 * timer and the concurrency pump on top of it.
 */
export interface ExportCore<T> {
  /**
   * Sends `values` now, cut into requests under maxBatchItems and maxRequestBytes (the
   * keepalive budget too, for keepalive). Values held back by an earlier keepalive export
   * go out alongside. Never throws: the outcome, the self-metrics and onError tell.
   */
  export(values: T[], keepalive?: boolean): Promise<ExportOutcome>;
  /** Sends one request's values, already cut to fit; no circuit breaker check. */
  send(chunk: Chunk<T>, keepalive: boolean): Promise<ExportOutcome>;
  /** Requests held back by the keepalive budget, waiting for the next export or flush. */
  readonly heldRequests: number;
  /** Takes the oldest `n` (default: all) held requests out, uncounting them. */
  takeHeld(n?: number): Chunk<T>[];
  /**
   * Counts what is still held, plus `queued` items of the layer above, as dropped at
   * `shutdown`, then closes the transport (Node: its HTTP/2 sessions).
   */
  close(queued?: number): Promise<void>;
  /** Counts a drop by reason and reports it through onError. */
  drop(reason: DropReason, items: number, message: string, code?: Code): void;
  /** The live counters, for the layer above. */
  readonly data: SelfMetricsSnapshot;
  /** The request limits in effect: keepalive requests are cut smaller. */
  maxBytes(keepalive: boolean): number;
  readonly maxBatchItems: number;
  /** A copy of the counters. */
  metrics(): SelfMetricsSnapshot;
}

/** Creates the export path every exporter and transport shares. */
export function createExportCore<T>(options: ExportOptions<T>): ExportCore<T> {
  const { codec, transport, runtime, endpoints, compression, recorder, onError } = options;
  const { signal } = codec;
  const breaker = options.circuitBreaker;
  if (endpoints.length === 0) {
    throw new OtlpError('option "url" (endpoints) needs at least one URL', Code.InvalidArgument);
  }
  const { compressionMinBytes, timeoutMs, maxBatchItems, maxRequestBytes, keepaliveBudgetBytes } =
    numberOptions(options, EXPORT_DEFAULTS, ['compressionMinBytes']);
  const retry = resolveRetry(options.retry);
  const d = createSelfMetrics(signal);
  const held: Chunk<T>[] = [];
  let rotation = 0;
  let keepaliveInflight = 0;

  const maxBytes = (keepalive?: boolean) =>
    keepalive ? Math.min(maxRequestBytes, keepaliveBudgetBytes) : maxRequestBytes;

  const drop = (
    reason: DropReason,
    items: number,
    message: string,
    code = Code.ResourceExhausted,
  ) => {
    d.droppedByReason[reason] += items;
    recorder?.dropped(signal, reason, items);
    onError?.(new OtlpError(message, code), { signal, items, reason });
  };

  /** Drops `items` and says so in an outcome. */
  const failed = (
    reason: DropReason,
    items: number,
    message: string,
    code: Code,
    attempts?: number,
  ): ExportOutcome => {
    drop(reason, items, message, code);
    return { ...outcome(false, code, message, items, 0, attempts), dropReason: reason };
  };

  const headersFor = async (): Promise<Record<string, string>> => {
    const given = options.headers ?? {};
    const extra = typeof given === 'function' ? await given() : given;
    const out: Record<string, string> = { 'user-agent': options.userAgent ?? USER_AGENT };
    for (const key in extra) out[key.toLowerCase()] = extra[key]!;
    return out;
  };

  const send = async (chunk: Chunk<T>, keepalive: boolean): Promise<ExportOutcome> => {
    const { items } = chunk;
    const started = runtime.now();
    const deadline = started + timeoutMs;
    let body = codec.encode(chunk.values);
    const rawSize = body.length;
    let encoding = 'identity';
    // Keepalive (page unload) requests are sent uncompressed: the page may only run
    // microtasks before it goes, and CompressionStream needs tasks, so a compressed request
    // would never leave. The keepalive budget is measured on what is actually sent.
    if (compression && rawSize >= compressionMinBytes && !keepalive) {
      body = await compression.compress(body);
      encoding = compression.name;
    }
    const size = keepalive ? body.length : 0;
    // A lone request may use the whole budget; the web transport drops keepalive past 64 KiB.
    if (keepalive && keepaliveInflight > 0 && keepaliveInflight + size > keepaliveBudgetBytes) {
      held.push(chunk);
      d.queuedItems += items;
      d.queuedBytes += chunk.bytes;
      d.deferredItems += items;
      return { ...outcome(true, Code.Ok, '', items), deferred: true };
    }
    keepaliveInflight += size;
    let endpoint = rotation++;
    try {
      for (let attempts = 1; ; attempts++) {
        let result: TransportResult;
        try {
          result = await transport.send({
            url: endpoints[endpoint++ % endpoints.length]!,
            path: codec.path,
            body,
            encoding,
            headers: await headersFor(),
            timeoutMs: Math.max(1, deadline - runtime.now()),
            keepalive,
          });
        } catch (error) {
          // Transports report failures as results; a throw here is a headers() callback or a bug.
          const e = OtlpError.from(error, Code.Internal);
          result = { code: e.code, message: e.rawMessage };
        }
        d.bytesUncompressed += rawSize;
        d.bytesSent += body.length;
        const { code, message } = result;
        const now = runtime.now();
        if (code === Code.Ok) {
          let partial = { rejected: 0, message: '' };
          try {
            partial = codec.decodeResponse(result.body ?? new Uint8Array(0));
          } catch {
            // The server said OK; an unreadable response body does not un-deliver the items.
          }
          const latency = now - started;
          countExported(d, items, partial.rejected, latency);
          recorder?.exported(signal, items, latency);
          breaker?.success();
          if (partial.rejected > 0 || partial.message) {
            options.onPartialSuccess?.({ signal, ...partial });
          }
          return outcome(true, code, partial.message, items, partial.rejected, attempts);
        }
        const name = countFailedAttempt(d, code, message, now);
        const decision = decideRetry(
          retry,
          { code, retryDelayMs: result.retryDelayMs, attempts, timeLeftMs: deadline - now },
          runtime.random,
        );
        if (!decision.retry) {
          d.exports++;
          d.exportsFailed++;
          breaker?.failure(now);
          return failed(
            decision.reason,
            items,
            `${signal} export of ${items} items failed: ${name}: ${message} (${decision.detail})`,
            code,
            attempts,
          );
        }
        d.retries++;
        recorder?.retried(signal);
        await runtime.sleep(decision.delayMs);
      }
    } finally {
      keepaliveInflight -= size;
    }
  };

  const takeHeld = (n = held.length) => {
    const taken = held.splice(0, n);
    for (const chunk of taken) {
      d.queuedItems -= chunk.items;
      d.queuedBytes -= chunk.bytes;
    }
    return taken;
  };

  /** Sends one request unless the circuit breaker is open, in which case it is dropped. */
  const attempt = async (chunk: Chunk<T>, keepalive: boolean) =>
    breaker && !breaker.tryAcquire(runtime.now())
      ? failed(
          'circuit_open',
          chunk.items,
          `${signal} export of ${chunk.items} items not sent: ${breaker.refusal}`,
          Code.Unavailable,
        )
      : send(chunk, keepalive);

  return {
    send,
    takeHeld,
    get heldRequests() {
      return held.length;
    },
    drop,
    data: d,
    maxBytes,
    maxBatchItems,
    metrics: () => ({ ...copySelfMetrics(d), circuitState: breaker?.state ?? 'closed' }),

    async close(queued = 0) {
      let left = queued;
      for (const chunk of takeHeld()) left += chunk.items;
      if (left > 0) {
        drop(
          'shutdown',
          left,
          `${signal} exporter shut down with ${left} items unsent`,
          Code.Unavailable,
        );
      }
      await transport.close();
    },

    async export(values, keepalive = false) {
      // Taken out first: a held request deferred again goes back, for the next export.
      const earlier = takeHeld().map((c) => attempt(c, keepalive));
      const { chunks, tooLarge } = cutChunks(
        codec,
        values,
        maxBatchItems,
        maxBytes(keepalive),
        maxRequestBytes,
      );
      const results: ExportOutcome[] = [];
      if (tooLarge > 0) {
        const message = `${signal} values holding ${tooLarge} items each exceed maxRequestBytes (${maxRequestBytes}); dropped`;
        results.push(failed('too_large', tooLarge, message, Code.ResourceExhausted));
      }
      // On page unload every request must be on its way before the page goes: all at once,
      // the keepalive budget deciding what waits. Otherwise one at a time.
      if (keepalive) results.push(...(await Promise.all(chunks.map((c) => attempt(c, true)))));
      else for (const c of chunks) results.push(await attempt(c, false));
      await Promise.all(earlier);
      return mergeOutcomes(results);
    },
  };
}
