import { FAILED_PRECONDITION, INVALID_ARGUMENT, RESOURCE_EXHAUSTED } from '../core/code.js';
import { createExportCore, type ExportCore } from '../core/export-core.js';
import { numberOptions } from '../core/number-options.js';
import { OtlpError } from '../core/otlp-error.js';
import type { SelfMetricsSnapshot } from '../core/self-metrics.js';
import type { EncodedRequest, ServiceCodec } from '../core/signal-codec.js';
import { createEncodeStats, type EncodeOptions, type EncodeStats } from '../encode/limits.js';
import { Writer } from '../encode/writer.js';
import type { ExporterDefaults, PageLifecycle } from './exporter-defaults.js';
import type { ExportResult, OtlpExporterOptions } from './exporter-options.js';

/**
 * What the three SDK exporters share: the export core without a queue, since the SDK's
 * processors and readers batch already. Each `export` becomes one or more requests sent
 * with retry, compression and a deadline, and its callback gets SUCCESS, or FAILED with
 * the {@link OtlpError}. Subclasses pass the signal's service (`serviceCodec`), its
 * encoder and its item counter; the entries pass their runtime's {@link ExporterDefaults}.
 */
export class OtlpExporterBase<Items> {
  readonly #core: ExportCore;
  readonly #stats: EncodeStats = createEncodeStats();
  readonly #send: (items: Items) => Promise<ExportResult>;
  readonly #pending = new Set<Promise<unknown>>();
  readonly #page: PageLifecycle;
  #shutdown: Promise<void> | undefined;

  constructor(
    codec: ServiceCodec,
    encode: (items: Items, options: EncodeOptions) => Uint8Array,
    count: (items: Items) => number,
    options: OtlpExporterOptions,
    defaults: ExporterDefaults,
  ) {
    const {
      url = 'http://localhost:4317',
      transport,
      compression = 'gzip',
      timeoutMillis,
      runtime = defaults.runtime(),
      ...rest
    } = options;
    const limits: EncodeOptions & { concurrencyLimit: number } = {
      ...numberOptions(options, {
        concurrencyLimit: 30,
        maxStringBytes: 1_048_576,
        maxAttributeDepth: 8,
      }),
      stats: this.#stats,
      // This exporter's own writer: its buffer, grown once, serves every request.
      writer: new Writer(),
    };
    const { concurrencyLimit } = limits;
    // Made before the SDK's processor gets this exporter, so it hears pagehide first.
    const page = defaults.page();
    this.#page = page;
    const sender =
      transport && typeof transport === 'object' ? transport : defaults.transport(transport);
    const core = createExportCore({
      ...rest,
      compression:
        typeof compression === 'string' ? defaults.compression(compression) : compression,
      // In a page: keepalive whenever the budget allows, so requests in flight outlive a
      // navigation; at unload, gzip only where it finishes within the task.
      keepaliveWhenFits: rest.keepaliveWhenFits ?? page.inPage,
      keepaliveCompression:
        rest.keepaliveCompression ??
        (page.inPage && typeof compression === 'string'
          ? defaults.unloadCompression(compression)
          : undefined),
      unloading: rest.unloading ?? page.unloading,
      timeoutMs: timeoutMillis,
      codec,
      transport: sender,
      endpoints: [url].flat(),
      runtime,
    });
    this.#core = core;

    // Encodes `items` as one request, or halves an array until each part fits the limit;
    // a part that cannot be halved further goes as it is (the core drops it if too large).
    const split = (part: Items, out: EncodedRequest[], maxBytes: number): EncodedRequest[] => {
      const n = count(part);
      const bytes = n ? encode(part, limits) : undefined;
      if (bytes && bytes.length > maxBytes && Array.isArray(part) && n > 1) {
        const half = part.length >> 1;
        split(part.slice(0, half) as Items, out, maxBytes);
        split(part.slice(half) as Items, out, maxBytes);
      } else if (bytes) out.push({ bytes, count: n });
      return out;
    };

    this.#send = async (items) => {
      if (this.#shutdown) throw new OtlpError('exporter is shut down', FAILED_PRECONDITION);
      if (this.#pending.size >= concurrencyLimit) {
        const n = count(items);
        const message = `${n} items dropped: concurrencyLimit (${concurrencyLimit}) exports in flight`;
        core.drop('queue_full', n, message);
        throw new OtlpError(message, RESOURCE_EXHAUSTED);
      }
      // While the page is hidden or being unloaded, requests go out with keepalive, cut to
      // the browser's 64 KiB keepalive budget; the core holds (hidden) or drops and counts
      // (unloading) what does not fit.
      const keepalive = this.#page.keepalive();
      await sender.turn?.();
      const outcomes = await core.export(split(items, [], core.maxBytes(keepalive)), keepalive);
      const failed = outcomes.find((outcome) => !outcome.ok);
      if (failed) throw new OtlpError(failed.message, failed.code, failed);
      return { code: 0 };
    };
  }

  /** Encodes and sends `items`; the callback gets the outcome once, never throws. */
  export(items: Items, resultCallback: (result: ExportResult) => void): void {
    const pending = this.#pending;
    const done = this.#send(items)
      .catch((error): ExportResult => ({ code: 1, error: OtlpError.from(error, INVALID_ARGUMENT) }))
      .then(resultCallback);
    pending.add(done);
    void done.finally(() => pending.delete(done));
  }

  /**
   * Resolves when every export already started has finished (retries included) and what
   * an earlier keepalive export held back has been sent.
   */
  async forceFlush(): Promise<void> {
    await Promise.all(this.#pending);
    await this.#core.export([], this.#page.keepalive());
  }

  /**
   * Flushes, then releases the transport (Node: its HTTP/2 session). What could still not
   * be sent is counted as dropped (`shutdown`). Later exports fail. Safe to call more than once.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= this.forceFlush().then(() => {
      this.#page.close();
      return this.#core.close();
    });
    return this.#shutdown;
  }

  /**
   * The exporter's own counters: items sent, dropped by reason, retries, latency, and in
   * `encode` what the encoder had to change in invalid SDK data (src/encode/limits.ts).
   */
  metrics(): SelfMetricsSnapshot & { encode: EncodeStats } {
    // Exports in flight are this exporter's: the core sees requests, not exports.
    const inflightExports = this.#pending.size;
    return { ...this.#core.metrics(), inflightExports, encode: { ...this.#stats } };
  }
}
