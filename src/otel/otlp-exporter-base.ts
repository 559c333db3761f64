import { Code } from '../core/code.js';
import { concatBytes } from '../core/concat-bytes.js';
import { OtlpError } from '../core/otlp-error.js';
import { createPipeline, type Pipeline } from '../core/pipeline.js';
import { decodePartialSuccess } from '../protocol/index.js';
import { createDefaultRuntime } from '../runtime/default-runtime.js';
import { pickCompression } from '../web/compression.js';
import { createGrpcWebTransport } from '../web/grpc-web-transport.js';
import { pageHidden } from '../web/page-visibility.js';
import type { EncodedBatch, ExportResult, OtlpExporterOptions } from './exporter-options.js';

const DEFAULT_URL = 'http://localhost:4317';
// The OTLP spec's recommended request limit; a bigger batch is split before sending.
const DEFAULT_MAX_REQUEST_BYTES = 4_194_304;
// What browsers allow keepalive requests in flight, together.
const KEEPALIVE_BUDGET = 65_536;

/**
 * What the three SDK exporters share: one export pipeline, used through `export()` since
 * the SDK's processors and readers batch already. Each `export` becomes one or more
 * requests sent with the pipeline's retry, compression and deadline, and its callback
 * gets SUCCESS, or FAILED with the {@link OtlpError}. Not exported on its own: subclasses
 * pass the signal's service name, encoder and item counter.
 */
export class OtlpExporterBase<Items> {
  readonly #pipeline: Pipeline<EncodedBatch>;
  readonly #encode: (items: Items) => Uint8Array;
  readonly #count: (items: Items) => number;
  readonly #maxBytes: number;
  readonly #pending = new Set<Promise<unknown>>();
  #shutdown: Promise<void> | undefined;

  constructor(
    signal: 'traces' | 'metrics' | 'logs',
    encode: (items: Items) => Uint8Array,
    count: (items: Items) => number,
    options: OtlpExporterOptions,
  ) {
    const {
      url = DEFAULT_URL,
      transport = createGrpcWebTransport(),
      compression = 'gzip',
      timeoutMillis,
      runtime = createDefaultRuntime(),
      ...rest
    } = options;
    const endpoints = typeof url === 'string' ? [url] : [...url];
    if (endpoints.length === 0) {
      throw new OtlpError('option "url" needs at least one URL', Code.InvalidArgument);
    }
    this.#encode = encode;
    this.#count = count;
    this.#maxBytes = rest.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    // traces -> trace.v1.TraceService, metrics -> metrics.v1.MetricsService, logs -> ...
    const name = signal === 'traces' ? 'trace' : signal;
    const service = `${name}.v1.${name[0]!.toUpperCase()}${name.slice(1)}Service`;
    const picked = typeof compression === 'string' ? pickCompression(compression) : compression;
    this.#pipeline = createPipeline<EncodedBatch>({
      ...rest,
      ...(picked ? { compression: picked } : {}),
      ...(timeoutMillis === undefined ? {} : { timeoutMs: timeoutMillis }),
      codec: {
        signal,
        path: `/opentelemetry.proto.collector.${service}/Export`,
        count: (batch) => batch.count,
        size: (batch) => batch.bytes.length,
        encode: concatBytes,
        decodeResponse: decodePartialSuccess,
      },
      transport,
      endpoints,
      runtime,
    });
  }

  /** Encodes and sends `items`; the callback gets the outcome once, never throws. */
  export(items: Items, resultCallback: (result: ExportResult) => void): void {
    const done = this.#send(items).then(resultCallback);
    this.#pending.add(done);
    void done.finally(() => this.#pending.delete(done));
  }

  /** Resolves when every export already started has finished (retries included). */
  async forceFlush(): Promise<void> {
    await Promise.all(this.#pending);
    await this.#pipeline.forceFlush();
  }

  /**
   * Waits for exports in flight, then releases the transport (Node: its HTTP/2 session).
   * Later exports fail. Safe to call more than once.
   */
  shutdown(): Promise<void> {
    // The pipeline's shutdown closes the transport.
    this.#shutdown ??= this.forceFlush().then(() => this.#pipeline.shutdown());
    return this.#shutdown;
  }

  /** The exporter's own counters: items sent, dropped by reason, retries, latency. */
  metrics(): ReturnType<Pipeline<EncodedBatch>['metrics']> {
    return this.#pipeline.metrics();
  }

  async #send(items: Items): Promise<ExportResult> {
    try {
      if (this.#shutdown) throw new OtlpError('exporter is shut down', Code.FailedPrecondition);
      const batches: EncodedBatch[] = [];
      // While the page is hidden (being unloaded), requests go out with keepalive, cut
      // to the browser's 64 KiB keepalive budget; the pipeline keeps what does not fit.
      const keepalive = pageHidden();
      this.#split(
        items,
        batches,
        keepalive ? Math.min(this.#maxBytes, KEEPALIVE_BUDGET) : this.#maxBytes,
      );
      // Never send an empty request.
      if (batches.length === 0) return { code: 0 };
      const outcome = await this.#pipeline.export(batches, { keepalive });
      return outcome.ok
        ? { code: 0 }
        : { code: 1, error: new OtlpError(outcome.message, outcome.code) };
    } catch (error) {
      return { code: 1, error: OtlpError.from(error, Code.InvalidArgument) };
    }
  }

  // Encodes `items` as one request, or halves an array until each part fits the limit.
  #split(items: Items, out: EncodedBatch[], maxBytes: number): void {
    const count = this.#count(items);
    if (count === 0) return;
    const bytes = this.#encode(items);
    if (bytes.length > maxBytes && Array.isArray(items) && items.length > 1) {
      const half = items.length >> 1;
      this.#split(items.slice(0, half) as Items, out, maxBytes);
      this.#split(items.slice(half) as Items, out, maxBytes);
    } else {
      out.push({ bytes, count });
    }
  }
}
