import { Code, codeName } from './code.js';
import { OtlpError } from './otlp-error.js';
import type { ResolvedPipelineOptions } from './pipeline-options.js';
import { decideRetry } from './retry-policy.js';
import type { DropReason, SelfMetrics } from './self-metrics.js';
import type { TransportResult } from './transport.js';

/** How one export ended. */
export interface ExportOutcome {
  ok: boolean;
  /** Code.Ok, or the final failure's code. */
  code: Code;
  /** partial_success message on success; the failure's description otherwise. */
  message: string;
  items: number;
  /** Items refused through partial_success. */
  rejected: number;
  attempts: number;
  /** Why the items were dropped, when they were. */
  dropReason?: DropReason;
  /** A keepalive export that did not fit the budget: nothing was sent, the caller re-queues. */
  deferred?: boolean;
}

/** Keeps keepalive requests within the browser's in-flight budget. */
export interface KeepaliveBudget {
  /** Reserves `bytes`; false when they do not fit. */
  admit(bytes: number): boolean;
  release(bytes: number): void;
}

const EMPTY = new Uint8Array(0);

/**
 * Runs one export to completion: encode, compress, then attempts with retry and endpoint
 * failover until success, a non-retryable status, the attempt limit or the deadline.
 * Never throws: the outcome says what happened, and the self-metrics count it.
 */
export function createExportCall<T>(
  o: ResolvedPipelineOptions<T>,
  metrics: SelfMetrics,
  nextEndpoint: () => number,
  budget: KeepaliveBudget,
) {
  const { codec, transport, runtime, endpoints } = o;

  const headersFor = async (): Promise<Record<string, string>> => {
    const extra = typeof o.headers === 'function' ? await o.headers() : o.headers;
    const out: Record<string, string> = { 'user-agent': o.userAgent };
    for (const key in extra) out[key.toLowerCase()] = extra[key]!;
    return out;
  };

  return async (values: T[], items: number, keepalive: boolean): Promise<ExportOutcome> => {
    const started = runtime.now();
    const deadline = started + o.timeoutMs;
    let body = codec.encode(values);
    const rawSize = body.length;
    let encoding = 'identity';
    // Keepalive (page unload) requests are sent uncompressed: the page may only run
    // microtasks before it goes, and CompressionStream needs tasks, so a compressed request
    // would never leave. The keepalive budget is measured on what is actually sent.
    if (o.compression && rawSize >= o.compressionMinBytes && !keepalive) {
      body = await o.compression.compress(body);
      encoding = o.compression.name;
    }
    if (keepalive && !budget.admit(body.length)) {
      const message = `${items} ${codec.signal} items deferred: ${body.length} bytes do not fit the keepalive budget`;
      return {
        ok: false,
        code: Code.ResourceExhausted,
        message,
        items,
        rejected: 0,
        attempts: 0,
        deferred: true,
      };
    }
    try {
      return await attempt(items, keepalive, body, rawSize, encoding, started, deadline);
    } finally {
      if (keepalive) budget.release(body.length);
    }
  };

  /** Sends `body` until success, a non-retryable status, the attempt limit or the deadline. */
  async function attempt(
    items: number,
    keepalive: boolean,
    body: Uint8Array,
    rawSize: number,
    encoding: string,
    started: number,
    deadline: number,
  ): Promise<ExportOutcome> {
    let endpoint = nextEndpoint();
    for (let attempts = 1; ; attempts++) {
      let result: TransportResult;
      try {
        result = await transport.send({
          url: endpoints[endpoint % endpoints.length]!,
          path: codec.path,
          body,
          encoding,
          headers: await headersFor(),
          timeoutMs: Math.max(1, deadline - runtime.now()),
          ...(keepalive ? { keepalive } : {}),
        });
      } catch (error) {
        // Transports report failures as results; a throw here is a headers() callback or a bug.
        const e = OtlpError.from(error, Code.Internal);
        result = { code: e.code, message: e.rawMessage };
      }
      metrics.sent(rawSize, body.length);
      if (result.code === Code.Ok) {
        let partial = { rejected: 0, message: '' };
        try {
          partial = codec.decodeResponse(result.body ?? EMPTY);
        } catch {
          // The server said OK; an unreadable response body does not un-deliver the items.
        }
        metrics.exported(items, partial.rejected, runtime.now() - started);
        if (partial.rejected > 0 || partial.message) {
          o.onPartialSuccess?.({ signal: codec.signal, ...partial });
        }
        return {
          ok: true,
          code: Code.Ok,
          message: partial.message,
          items,
          rejected: partial.rejected,
          attempts,
        };
      }
      metrics.failedAttempt(result.code, result.message, runtime.now());
      const decision = decideRetry(
        o.retry,
        {
          code: result.code,
          retryDelayMs: result.retryDelayMs,
          attempts,
          timeLeftMs: deadline - runtime.now(),
        },
        runtime.random,
      );
      if (!decision.retry) {
        const message = `${codec.signal} export of ${items} items failed: ${codeName(result.code)}: ${result.message} (${decision.detail})`;
        metrics.data.exports++;
        metrics.data.exportsFailed++;
        metrics.dropped(decision.reason, items);
        o.onError?.(new OtlpError(message, result.code as Code), {
          signal: codec.signal,
          items,
          reason: decision.reason,
        });
        return {
          ok: false,
          code: result.code as Code,
          message,
          items,
          rejected: 0,
          attempts,
          dropReason: decision.reason,
        };
      }
      metrics.retried();
      endpoint++;
      await runtime.sleep(decision.delayMs);
    }
  }
}
