import {
  type Code,
  codeName,
  INVALID_ARGUMENT,
  OK,
  RESOURCE_EXHAUSTED,
  UNAVAILABLE,
  UNIMPLEMENTED,
} from './code.js';
import { compressBody } from './compress-step.js';
import { EXPORT_DEFAULTS, type ExportOptions } from './export-options.js';
import type { ExportOutcome } from './export-outcome.js';
import { readAnswer } from './interpret-step.js';
import { numberOptions } from './number-options.js';
import { OtlpError, type OtlpErrorDetails } from './otlp-error.js';
import { decideRetry, resolveRetry } from './retry-policy.js';
import {
  copySelfMetrics,
  createSelfMetrics,
  type DropReason,
  type SelfMetricsSnapshot,
} from './self-metrics.js';
import { sendAttempt } from './send-step.js';
import type { EncodedRequest } from './signal-codec.js';
import type { Spill } from './spill.js';
import { keepaliveCompression, keepaliveFits } from './unload-plan.js';

export type { ExportOutcome } from './export-outcome.js';

/**
 * One signal's export path without a queue, for requests serialized by the caller (cut
 * and encoded above: the SDK exporters' `split`, the pipeline's `cutChunks`): compress
 * (compress-step.ts) -> send (send-step.ts) -> interpret (interpret-step.ts, and the
 * transports' protocol/interpret-response.ts) -> retry (retry-policy.ts), with the
 * keepalive budget and the self-metrics. Every request that cannot be delivered ends in
 * `fail`, the one place items are dropped. The
 * OpenTelemetry SDK exporters use it directly (the SDK's processors batch already, and
 * the exporters encode each batch themselves); `createPipeline` adds the queue, the
 * batching, the timer and the concurrency pump on top of it.
 */
export interface ExportCore {
  /**
   * Sends these serialized requests now: one after another, or all at once for keepalive
   * (page unload), the keepalive budget deciding what is held back. Requests held by an
   * earlier keepalive export go out alongside. Never throws: the outcomes (one per
   * request given, in order; see `mergeOutcomes`), the self-metrics and onError tell.
   */
  export(requests: readonly EncodedRequest[], keepalive?: boolean): Promise<ExportOutcome[]>;
  /**
   * Sends one request; no circuit breaker check. A request over maxRequestBytes is
   * dropped (`too_large`) without being sent.
   */
  send(request: EncodedRequest, keepalive: boolean): Promise<ExportOutcome>;
  /** Requests held back by the keepalive budget, waiting for the next export or flush. */
  readonly heldRequests: number;
  /** Takes the oldest `n` (default: all) held requests out, uncounting them. */
  takeHeld(n?: number): EncodedRequest[];
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
  /** A copy of the counters. */
  metrics(): SelfMetricsSnapshot;
}

/** Creates the export path every exporter and transport shares. */
export function createExportCore(options: ExportOptions): ExportCore {
  const { codec, transport, runtime, endpoints, onError, unloading } = options;
  const { signal, path } = codec;
  const breaker = options.circuitBreaker;
  if (!endpoints.length) {
    throw new OtlpError('option "url" (endpoints) is empty', INVALID_ARGUMENT);
  }
  const { compressionMinBytes, timeoutMs, maxRequestBytes, keepaliveBudgetBytes } = numberOptions(
    options,
    EXPORT_DEFAULTS,
    ['compressionMinBytes'],
  );
  const retry = resolveRetry(options.retry);
  const d = createSelfMetrics(signal);
  const held: EncodedRequest[] = [];
  // Changes when a server refuses the encoding: later requests use what it accepts.
  let compression = options.compression;
  let rotation = 0;
  let keepaliveInflight = 0;

  const drop = (
    reason: DropReason,
    items: number,
    message: string,
    code: Code = RESOURCE_EXHAUSTED,
    details?: OtlpErrorDetails,
  ) => {
    d.droppedByReason[reason] += items;
    onError?.(new OtlpError(message, code, details), { signal, items, reason });
  };

  /**
   * The end of a request that cannot be delivered: its items are dropped, counted by
   * reason and reported. Every failed request ends here; one that failed after its
   * retries is first offered to the durable queue (`spill`), which may keep it instead.
   */
  const fail = (
    reason: DropReason,
    code: Code,
    message: string,
    items: number,
    attempts = 0,
    details?: OtlpErrorDetails,
  ): ExportOutcome => {
    drop(reason, items, message, code, { ...details, attempts });
    return {
      ok: false,
      ...details,
      code,
      message,
      items,
      rejected: 0,
      attempts,
      dropReason: reason,
    };
  };

  // The durable queue (option `durable`) is offered what failed after its retries; it wraps
  // `export` itself for what cannot go now (offline, over the keepalive budget).
  let spill: Spill | undefined;

  const send = async (request: EncodedRequest, keepalive: boolean) => {
    const { bytes, count: items } = request;
    const started = runtime.now();
    const size = bytes.length;
    if (size > maxRequestBytes) {
      return fail(
        'too_large',
        RESOURCE_EXHAUSTED,
        `${signal} export of ${items} items: ${size} bytes > maxRequestBytes`,
        items,
      );
    }
    let endpoint = rotation++;
    // Small bodies go uncompressed; keepalive (page unload) requests compress only with what
    // finishes within the task (the page may run no further task before it goes), or not at
    // all; `compression` follows a server's refusal.
    const compressed = () =>
      compressBody(
        bytes,
        size < compressionMinBytes
          ? undefined
          : keepalive
            ? keepaliveCompression(compression, options.keepaliveCompression?.())
            : compression,
      );
    let packed = await compressed();
    // The keepalive budget counts the bytes as sent, compressed or not.
    const withKeepalive = keepaliveFits(
      keepaliveInflight,
      packed.body.length,
      keepaliveBudgetBytes,
      keepalive,
      options.keepaliveWhenFits,
    );
    // A keepalive request over the budget cannot go now: while the page is being unloaded
    // nothing can send it later, so it is dropped and counted now; while the page is only
    // hidden it is held for the next export, counted as deferred.
    if (keepalive && !withKeepalive) {
      if (unloading?.()) {
        return fail(
          'unload',
          RESOURCE_EXHAUSTED,
          `${signal} export of ${items} items not sent: page unloading, keepalive budget (${keepaliveBudgetBytes} bytes) spent`,
          items,
        );
      }
      held.push(request);
      d.queuedItems += items;
      d.queuedBytes += size;
      d.deferredItems += items;
      return {
        ok: true,
        code: OK,
        message: '',
        items,
        rejected: 0,
        attempts: 0,
        deferred: true,
      };
    }
    const budget = withKeepalive ? packed.body.length : 0;
    keepaliveInflight += budget;
    try {
      for (let attempts = 1; ; ) {
        // send: one attempt, to the next endpoint (a retry fails over), within the deadline.
        const url = endpoints[endpoint++ % endpoints.length]!;
        const result = await sendAttempt(options, {
          url,
          path,
          ...packed,
          timeoutMs: Math.max(1, started + timeoutMs - runtime.now()),
          keepalive: withKeepalive,
        });
        d.bytesUncompressed += size;
        d.bytesSent += packed.body.length;
        const { code, message, acceptEncoding: accepted } = result;
        const now = runtime.now();
        if (!code) {
          // interpret: delivered; partial_success reported, never retried.
          const { rejected, message: note, unread } = readAnswer(codec, result);
          d.exports++;
          d.itemsSent += items;
          d.itemsRejected += rejected;
          d.latency.count++;
          d.latency.sumMs += now - started;
          breaker?.success();
          if (unread) {
            d.responsesUnread++;
            options.onPartialSuccess?.({ signal, rejected, message: unread, unknown: true });
          } else if (rejected || note) {
            options.onPartialSuccess?.({ signal, rejected, message: note });
          }
          return { ok: true, code, message: note, items, rejected, attempts };
        }
        if (code === UNIMPLEMENTED && accepted && !accepted.includes(packed.encoding)) {
          // The server does not take this encoding and says which it does: resend at once
          // with one it accepts (or none), and keep to it from now on. Identity refused
          // too is the plain failure below, not a loop.
          if (packed.encoding !== 'identity') {
            // The first fallback it accepts: each refusal moves down the chain, one resend
            // per encoding at most.
            do compression = compression?.fallback;
            while (compression && !accepted.includes(compression.name));
            packed = await compressed();
            attempts++;
            d.retries++;
            continue;
          }
        }
        // retry: by the OTLP rules (retryable codes, RetryInfo, backoff, deadline), or fail.
        const name = codeName(code);
        d.failuresByCode[name] = (d.failuresByCode[name] ?? 0) + 1;
        d.lastError = { code, message, at: now };
        const retryIn = decideRetry(
          retry,
          code,
          result.retryDelayMs,
          attempts,
          started + timeoutMs - now,
          runtime.random,
        );
        if (typeof retryIn !== 'number') {
          d.exports++;
          d.exportsFailed++;
          breaker?.failure(now);
          return (
            (await spill?.(request, retryIn[0], attempts)) ||
            fail(
              retryIn[0],
              code,
              `${signal} export of ${items} items failed: ${name}: ${message} (${retryIn[1]})`,
              items,
              attempts,
              { httpStatus: result.httpStatus, retryDelayMs: result.retryDelayMs, endpoint: url },
            )
          );
        }
        attempts++;
        d.retries++;
        await runtime.sleep(retryIn);
      }
    } finally {
      keepaliveInflight -= budget;
    }
  };

  const takeHeld = (n = held.length) => {
    const taken = held.splice(0, n);
    for (const { bytes, count } of taken) {
      d.queuedItems -= count;
      d.queuedBytes -= bytes.length;
    }
    return taken;
  };

  /** Sends one request unless the circuit breaker is open, in which case it is dropped. */
  const attempt = async (request: EncodedRequest, keepalive: boolean) =>
    breaker && !breaker.tryAcquire(runtime.now())
      ? fail(
          'circuit_open',
          UNAVAILABLE,
          `${signal} export of ${request.count} items not sent: ${breaker.refusal}`,
          request.count,
        )
      : send(request, keepalive);

  const core: ExportCore = {
    send,
    takeHeld,
    get heldRequests() {
      return held.length;
    },
    drop,
    data: d,
    maxBytes: (keepalive) =>
      keepalive ? Math.min(maxRequestBytes, keepaliveBudgetBytes) : maxRequestBytes,
    metrics: () => ({ ...copySelfMetrics(d), circuitState: breaker?.state ?? 'closed' }),

    async close(queued = 0) {
      for (const { count } of takeHeld()) queued += count;
      if (queued) {
        drop('shutdown', queued, `${signal}: ${queued} items unsent at shutdown`, UNAVAILABLE);
      }
      await transport.close();
    },

    async export(requests, keepalive = false) {
      // Taken out first: a held request deferred again goes back, for the next export.
      const earlier = Promise.all(takeHeld().map((r) => attempt(r, keepalive)));
      // On page unload every request must be on its way before the page goes: all at once,
      // the keepalive budget deciding what waits. Otherwise one at a time.
      const results = keepalive ? await Promise.all(requests.map((r) => attempt(r, true))) : [];
      if (!keepalive) for (const r of requests) results.push(await attempt(r, false));
      await earlier;
      return results;
    },
  };
  spill = options.durable?.(core, onError);
  return core;
}
