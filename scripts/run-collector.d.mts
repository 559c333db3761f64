/** Types of run-collector.mjs, for the tests that import it. */
export interface CollectorOptions {
  /** Port of the Collector's OTLP gRPC receiver; 0 = a free one. @default 0 */
  port?: number;
  /** host:port the otlp_grpc exporter sends to; undefined = the nop exporter. */
  forwardTo?: string;
  /** A memory_limiter first in every pipeline with this limit, in MiB (1: refuses everything). */
  memoryLimitMiB?: number;
  /**
   * A batch processor (200 ms) and the exporter's sending queue and retries, as a
   * production Collector runs; false: the Collector answers only once the backend has, so a
   * refusal reaches the client and an OK means delivered. @default true
   */
  buffered?: boolean;
}

export interface RunningCollector {
  port: number;
  /** `http://127.0.0.1:<port>`, for the exporters. */
  url: string;
  /** The Collector's process id (for its CPU time in benches). */
  pid(): number;
  /** Everything it logged so far. */
  output(): string;
  /** SIGTERM, and wait for the exit: grpc-go's graceful stop lets calls in flight finish. */
  halt(): Promise<void>;
  /** Starts it again after `halt`, on the same port with the same config. */
  start(): Promise<void>;
  /** Halts it and removes its config. */
  stop(): Promise<void>;
}

export declare function collectorConfig(port: number, options?: CollectorOptions): object;
export declare function startCollector(
  binary: string,
  options?: CollectorOptions,
): Promise<RunningCollector>;
