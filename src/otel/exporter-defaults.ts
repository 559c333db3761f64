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
   * The page this exporter lives in (browsers), for keepalive at unload; outside a page
   * `inPage` is false and it never says hidden. Called once per exporter, before the SDK's
   * processor gets the exporter, so its `pagehide` listener runs before the flush.
   */
  page(): PageLifecycle;
  /**
   * In a page: the compression of this name that finishes within the task, for requests
   * sent while the page is unloading (see `ExportOptions.keepaliveCompression`).
   */
  unloadCompression(name: string): (() => Compression | undefined) | undefined;
}

/** What an exporter needs to know of its page's lifecycle (src/web/page-unload.ts). */
export interface PageLifecycle {
  /** False outside browsers (workers, Deno, Bun, Node): nothing here is ever hidden. */
  readonly inPage: boolean;
  /**
   * Whether requests must go with `keepalive` to outlive the page: it is hidden (OTel's
   * batch processors flush then) or has fired `pagehide`.
   */
  keepalive(): boolean;
  /**
   * Whether the page is being unloaded for good (`pagehide`, not kept in the back/forward
   * cache): nothing queued now can be sent later.
   */
  unloading(): boolean;
  /** Stops listening. */
  close(): void;
}
