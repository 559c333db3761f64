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
    if (o.compression && rawSize >= o.compressionMinBytes) {
      body = await o.compression.compress(body);
      encoding = o.compression.name;
    }
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
  };
}
