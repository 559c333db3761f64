import { INVALID_ARGUMENT, OK } from '../core/code.js';
import { checkEndpointUrl } from '../core/endpoint-url.js';
import type { ExportOutcome } from '../core/export-outcome.js';
import { OtlpError } from '../core/otlp-error.js';
import type { Pipeline, PipelineOptions } from '../core/pipeline.js';
import { createPipeline } from '../core/pipeline.js';
import type { Runtime } from '../core/runtime.js';
import type { SelfMetricsSnapshot } from '../core/self-metrics.js';
import type { Transport } from '../core/transport.js';
import { createDefaultRuntime } from '../runtime/default-runtime.js';
import {
  type EncodedRequest,
  encodeLogsRequest,
  encodeMetricsRequest,
  encodeTraceRequest,
  type LogsRequestInput,
  type MetricsRequestInput,
  requestCodecs,
  type TraceRequestInput,
} from './request-codecs.js';

/** Options of {@link createOtlpClient}: the shared pipeline options plus where to send. */
export interface OtlpClientOptions
  extends Omit<PipelineOptions<EncodedRequest>, 'codec' | 'transport' | 'endpoints' | 'runtime'> {
  /** How requests travel: `createGrpcWebTransport()` (fetch) or `createGrpcTransport()` (Node HTTP/2). */
  transport: Transport;
  /**
   * The OTLP endpoint's base URL, or several: exports rotate round-robin across them and a
   * retry fails over to the next one.
   */
  url: string | readonly string[];
  /** Clock, timers and randomness. @default timers of the global object, Date.now, Math.random */
  runtime?: Runtime;
}

/** One signal's side of the client. */
export interface SignalClient<Input> {
  /**
   * Exports this request now, with retries. Resolves with the outcome (items, the
   * partial-success report in `rejected` and `message`, attempts);
   * rejects with an {@link OtlpError} carrying the final gRPC code when the export failed
   * (the dropped items are counted in the self-metrics too).
   */
  export(request: Input, options?: { keepalive?: boolean }): Promise<ExportOutcome>;
  /**
   * Like {@link SignalClient.export} for a request already serialized (see
   * `encodeTraceRequest`), so a caller that sends the same payload repeatedly, or
   * serializes elsewhere, pays for encoding once.
   */
  exportEncoded(request: EncodedRequest, options?: { keepalive?: boolean }): Promise<ExportOutcome>;
  /**
   * Queues this request for batched export. Returns false when the queue was full and the
   * request was dropped (counted as `queue_full`).
   */
  enqueue(request: Input): boolean;
  /** This signal's self-metrics. */
  metrics(): SelfMetricsSnapshot;
}

/**
 * A low-level OTLP client for pre-built requests of all three signals: what a gRPC user
 * expects of a generated client, plus batching, retry, compression and self-metrics.
 */
export interface OtlpClient {
  readonly traces: SignalClient<TraceRequestInput>;
  readonly metrics: SignalClient<MetricsRequestInput>;
  readonly logs: SignalClient<LogsRequestInput>;
  /** Exports everything queued, for every signal. */
  forceFlush(options?: { keepalive?: boolean }): Promise<void>;
  /** Flushes, refuses further requests, and closes the transport (Node: its HTTP/2 sessions). */
  shutdown(): Promise<void>;
}

/**
 * Creates a client that exports OTLP requests over the given transport. The three
 * signals share the transport and a `circuitBreaker` if given: one backend,
 * one judgement of its health.
 *
 * @example
 * const client = createOtlpClient({ transport: createGrpcWebTransport(), url: 'https://otlp.example.com' });
 * await client.traces.export({ resourceSpans: [...] });
 */
export function createOtlpClient(options: OtlpClientOptions): OtlpClient {
  const { transport, url, runtime, ...pipelineOptions } = options;
  const endpoints = typeof url === 'string' ? [url] : [...url];
  if (endpoints.length === 0) {
    throw new OtlpError('createOtlpClient: option "url" needs at least one URL', INVALID_ARGUMENT);
  }
  for (const endpoint of endpoints) checkEndpointUrl(endpoint);
  // The three pipelines share one transport; it is closed once, after all of them.
  const shared: Transport = {
    name: transport.name,
    send: (r) => transport.send(r),
    close: async () => {},
  };
  const make = <Input>(
    codec: (typeof requestCodecs)[keyof typeof requestCodecs],
    encode: (input: Input) => EncodedRequest,
  ): { client: SignalClient<Input>; pipeline: Pipeline<EncodedRequest> } => {
    const pipeline = createPipeline<EncodedRequest>({
      ...pipelineOptions,
      codec,
      transport: shared,
      endpoints,
      runtime: runtime ?? createDefaultRuntime(),
    });
    const exportEncoded = async (
      encoded: EncodedRequest,
      exportOptions?: { keepalive?: boolean },
    ): Promise<ExportOutcome> => {
      if (encoded.count === 0) {
        return { ok: true, code: OK, message: '', items: 0, rejected: 0, attempts: 0 };
      }
      const outcome = await pipeline.export([encoded], exportOptions);
      if (!outcome.ok) throw new OtlpError(outcome.message, outcome.code, outcome);
      return outcome;
    };
    const client: SignalClient<Input> = {
      export: (request, exportOptions) => exportEncoded(encode(request), exportOptions),
      exportEncoded,
      enqueue(request) {
        const encoded = encode(request);
        return encoded.count === 0 || pipeline.enqueue(encoded);
      },
      metrics: () => pipeline.metrics(),
    };
    return { client, pipeline };
  };
  const traces = make(requestCodecs.traces, encodeTraceRequest);
  const metrics = make(requestCodecs.metrics, encodeMetricsRequest);
  const logs = make(requestCodecs.logs, encodeLogsRequest);
  const pipelines = [traces.pipeline, metrics.pipeline, logs.pipeline];
  let closing: Promise<void> | undefined;
  return {
    traces: traces.client,
    metrics: metrics.client,
    logs: logs.client,
    async forceFlush(flushOptions) {
      await Promise.all(pipelines.map((p) => p.forceFlush(flushOptions)));
    },
    shutdown() {
      closing ??= Promise.all(pipelines.map((p) => p.shutdown())).then(() => transport.close());
      return closing;
    },
  };
}
