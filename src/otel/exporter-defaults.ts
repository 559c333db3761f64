import type { Compression } from '../core/compression.js';
import type { ExportRuntime } from '../core/runtime.js';
import type { Transport } from '../core/transport.js';

/**
 * What an SDK exporter takes from its runtime when the options leave it open: the entry
 * that exports the exporter (`otlp-grpc-web` for browsers and edge runtimes,
 * `otlp-grpc-web/node`) supplies these, so the exporters themselves (src/otel) stay free
 * of runtime APIs and a browser bundle never reaches Node code.
 */
export interface ExporterDefaults {
  /**
   * The transport for `transport: undefined | 'grpc-web' | 'grpc'`; throws OtlpError
   * naming the entry that has it when this runtime does not.
   */
  transport(name: 'grpc-web' | 'grpc' | undefined): Transport;
  /** The compression for a name, or undefined (identity) where the runtime has none. */
  compression(name: 'gzip' | 'zstd' | 'none'): Compression | undefined;
  /** Clock, sleep and randomness. */
  runtime(): ExportRuntime;
  /**
   * Whether the page is being hidden (browsers may unload it), when requests must go
   * with keepalive; always false outside browsers.
   */
  pageHidden(): boolean;
}
