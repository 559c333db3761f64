import { Code } from '../core/code.js';
import { createExportCore, type ExportCore } from '../core/export-core.js';
import { numberOptions } from '../core/number-options.js';
import { OtlpError } from '../core/otlp-error.js';
import type { SelfMetricsSnapshot } from '../core/self-metrics.js';
import type { Signal } from '../core/signal-codec.js';
import type { Transport } from '../core/transport.js';
import { encodedCodec } from '../protocol/encoded-codec.js';
import { createDefaultRuntime } from '../runtime/default-runtime.js';
import { pickCompression } from '../web/compression.js';
import { createGrpcWebTransport } from '../web/grpc-web-transport.js';
import { pageHidden } from '../web/page-visibility.js';
import type { EncodedBatch, ExportResult, OtlpExporterOptions } from './exporter-options.js';

/**
 * What the three SDK exporters share: the export core without a queue, since the SDK's
 * processors and readers batch already. Each `export` becomes one or more requests sent
 * with retry, compression and a deadline, and its callback gets SUCCESS, or FAILED with
 * the {@link OtlpError}. Not exported on its own: subclasses pass the signal, its encoder
 * and its item counter.
 */
export class OtlpExporterBase<Items> {
  readonly #core: ExportCore<EncodedBatch>;
  readonly #send: (items: Items) => Promise<ExportResult>;
  readonly #pending = new Set<Promise<unknown>>();
  #shutdown: Promise<void> | undefined;

  constructor(
    signal: Signal,
    encode: (items: Items) => Uint8Array,
    count: (items: Items) => number,
    options: OtlpExporterOptions,
  ) {
    const {
      url = 'http://localhost:4317',
      transport,
      compression = 'gzip',
      timeoutMillis,
      runtime = createDefaultRuntime(),
      ...rest
    } = options;
    const { concurrencyLimit } = numberOptions(options, { concurrencyLimit: 30 });
    const core = createExportCore<EncodedBatch>({
      ...rest,
      compression: typeof compression === 'string' ? pickCompression(compression) : compression,
      timeoutMs: timeoutMillis,
      codec: encodedCodec(signal),
      transport: webTransport(transport),
      endpoints: typeof url === 'string' ? [url] : url,
      runtime,
    });
    this.#core = core;

    // Encodes `items` as one request, or halves an array until each part fits the limit.
    const split = (part: Items, out: EncodedBatch[], maxBytes: number): void => {
      const n = count(part);
      if (n === 0) return;
      const bytes = encode(part);
      if (bytes.length > maxBytes && Array.isArray(part) && part.length > 1) {
        const half = part.length >> 1;
        split(part.slice(0, half) as Items, out, maxBytes);
        split(part.slice(half) as Items, out, maxBytes);
      } else {
        out.push({ bytes, count: n });
      }
    };

    this.#send = async (items) => {
      try {
        if (this.#shutdown) throw new OtlpError('exporter is shut down', Code.FailedPrecondition);
        if (this.#pending.size >= concurrencyLimit) {
          const n = count(items);
          const message = `${n} items dropped: ${concurrencyLimit} exports already in flight (concurrencyLimit)`;
          core.drop('queue_full', n, message);
          return { code: 1, error: new OtlpError(message, Code.ResourceExhausted) };
        }
        // While the page is hidden (being unloaded), requests go out with keepalive, cut
        // to the browser's 64 KiB keepalive budget; the core holds what does not fit.
        const keepalive = pageHidden();
        const batches: EncodedBatch[] = [];
        split(items, batches, core.maxBytes(keepalive));
        const outcome = await core.export(batches, keepalive);
        return outcome.ok
          ? { code: 0 }
          : { code: 1, error: new OtlpError(outcome.message, outcome.code) };
      } catch (error) {
        return { code: 1, error: OtlpError.from(error, Code.InvalidArgument) };
      }
    };
  }

  /** Encodes and sends `items`; the callback gets the outcome once, never throws. */
  export(items: Items, resultCallback: (result: ExportResult) => void): void {
    const pending = this.#pending;
    const data = this.#core.data;
    const done = this.#send(items).then(resultCallback);
    pending.add(done);
    data.inflightExports = pending.size;
    void done.finally(() => {
      pending.delete(done);
      data.inflightExports = pending.size;
    });
  }

  /**
   * Resolves when every export already started has finished (retries included) and what
   * an earlier keepalive export held back has been sent.
   */
  async forceFlush(): Promise<void> {
    await Promise.all(this.#pending);
    await this.#core.export([], pageHidden());
  }

  /**
   * Flushes, then releases the transport (Node: its HTTP/2 session). What could still not
   * be sent is counted as dropped (`shutdown`). Later exports fail. Safe to call more than once.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.forceFlush().then(() => this.#core.close());
    return this.#shutdown;
  }

  /** The exporter's own counters: items sent, dropped by reason, retries, latency. */
  metrics(): SelfMetricsSnapshot {
    return this.#core.metrics();
  }
}

/**
 * The transport of the `transport` option, from this entry: gRPC-web, or the object given.
 * Native gRPC lives in `otlp-grpc-web/node` so that browser bundles never reach Node code;
 * its exporters pass their transport as an object.
 */
function webTransport(transport: OtlpExporterOptions['transport']): Transport {
  if (typeof transport === 'object') return transport;
  if (transport === undefined || transport === 'grpc-web') return createGrpcWebTransport();
  throw new OtlpError(
    `option "transport": ${JSON.stringify(transport)} is not available here (gRPC-web only); for native gRPC import the exporters from "otlp-grpc-web/node"`,
    Code.InvalidArgument,
  );
}
