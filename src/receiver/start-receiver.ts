import type {
  GetStatsResponse,
  ListLogsResponse,
  ListMetricsResponse,
  ListRequest,
  ListSpansResponse,
} from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { createExportCalls } from './calls/export-calls.js';
import { methodPath } from './calls/method.js';
import { createQueryCalls } from './calls/query-calls.js';
import type { ReceiverOptions } from './options.js';
import { resolveReceiverOptions } from './resolve-options.js';
import { createAuthCheck } from './server/auth.js';
import { createCors } from './server/cors.js';
import { createDrain } from './server/drain.js';
import { createLimitLog } from './server/limit-log.js';
import { type Listening, listen } from './server/listen.js';
import { createLimiter } from './server/overload.js';
import { createRequestListener } from './server/request-listener.js';
import { createWorkLane } from './server/work-lane.js';
import { createJsonlSink } from './store/jsonl-sink.js';
import { createStats } from './store/stats.js';
import { createTelemetryStore } from './store/telemetry-store.js';

/** Decoding a message this large waits its turn (server/work-lane.ts). */
const HEAVY_MESSAGE_BYTES = 256 * 1024;

/** What the receiver holds, as the query service serves it. */
export interface ReceiverSinks {
  listSpans(request: ListRequest): ListSpansResponse;
  listLogs(request: ListRequest): ListLogsResponse;
  listMetrics(request: ListRequest): ListMetricsResponse;
  /** Empties the store and resets the totals. */
  clear(): void;
  /**
   * The JSONL file's write error, once one happened: from then on every Export call is
   * refused (UNAVAILABLE), and the CLI exits 1.
   */
  readonly failure: Error | undefined;
}

/** A running OTLP receiver. */
export interface Receiver {
  /** The base URL clients use, e.g. `http://127.0.0.1:4317`. */
  readonly url: string;
  /** The bound host. */
  readonly host: string;
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** What was received: stored items, and the JSONL file's state. */
  readonly sinks: ReceiverSinks;
  /** Export calls being served now. */
  inflight(): number;
  /** Counters per signal, as the query service's GetStats returns them. */
  stats(): GetStatsResponse;
  /**
   * Graceful shutdown: stops accepting connections, lets calls in flight finish (up to
   * `shutdownGraceMs`), flushes the JSONL file, then resolves. Calling it again returns
   * the same promise.
   */
  close(): Promise<void>;
}

/**
 * Starts a native OTLP receiver: TraceService, MetricsService and LogsService Export plus
 * the query service, over gRPC, gRPC-web and Connect on one port (HTTP/2 and HTTP/1.1,
 * cleartext or TLS). Resolves once the port is bound.
 */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const o = resolveReceiverOptions(options);
  const { logger } = o;
  const limitLog = createLimitLog(logger, Date.now);
  const store = createTelemetryStore(
    { maxItems: o.maxStoredItems, maxBytes: o.maxStoredBytes },
    Date.now,
  );
  const stats = createStats(Date.now);
  const jsonl =
    o.jsonlPath === undefined
      ? undefined
      : createJsonlSink(o.jsonlPath, (e) =>
          logger.error(`${e.message}: Export calls are refused from now on`),
        );
  const refused = (limit: string) => (e: { rawMessage: string }) => limitLog(limit, e.rawMessage);
  const inflight = createLimiter({
    max: o.maxInflight,
    retryDelayMs: o.retryDelayMs,
    describe: (max) => `${max} export calls in flight`,
    onRefused: refused('max inflight'),
  });
  const buffered = createLimiter({
    max: o.maxBufferedBytes,
    retryDelayMs: o.retryDelayMs,
    describe: (max) => `calls in progress hold ${max} bytes`,
    onRefused: refused('max buffered bytes'),
  });
  const methods = [
    ...createExportCalls({ store, stats, jsonl, exportDelayMs: o.exportDelayMs }),
    ...createQueryCalls(store, stats, inflight.used),
  ];
  const drain = createDrain();
  const listener = createRequestListener({
    methods: new Map(methods.map((m) => [methodPath(m.desc), m])),
    cors: createCors(o.corsOrigins),
    drain,
    stats,
    logger,
    auth: createAuthCheck({ apiKey: o.apiKey, bearerToken: o.bearerToken }),
    inflight,
    buffered,
    lane: createWorkLane(HEAVY_MESSAGE_BYTES),
    limitLog,
    maxMessageBytes: o.maxMessageBytes,
    maxDecodedBytes: o.maxDecodedBytes,
    bodyIdleMs: o.bodyTimeoutMs,
    compressResponses: o.compressResponses,
  });
  let listening: Listening;
  try {
    listening = await listen({ ...o, listener, limitLog });
  } catch (e) {
    await jsonl?.close();
    throw e;
  }

  async function shutdown(): Promise<void> {
    const stopped = listening.stopAccepting();
    let timer: NodeJS.Timeout | undefined;
    const graceElapsed = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), o.shutdownGraceMs);
    });
    // Calls finish first; then HTTP/2 connections close on their own once their last
    // stream's trailers are out (destroying them at once could cut a response just sent).
    const settled = drain.whenIdle().then(() => listening.http2Settled());
    const timedOut = await Promise.race([settled.then(() => false), graceElapsed]);
    clearTimeout(timer);
    if (timedOut) {
      logger.warn(
        `shutdown: ${drain.active()} call(s) still running after ${o.shutdownGraceMs} ms; closing their connections`,
      );
    }
    listening.destroyAll();
    await stopped;
    await jsonl?.close();
  }

  let closing: Promise<void> | undefined;
  const scheme = o.tls === undefined ? 'http' : 'https';
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `${scheme}://${host}:${listening.port}`,
    host: o.host,
    port: listening.port,
    sinks: {
      listSpans: store.listSpans,
      listLogs: store.listLogs,
      listMetrics: store.listMetrics,
      clear() {
        store.clear();
        stats.clear();
      },
      get failure() {
        return jsonl?.failure;
      },
    },
    inflight: inflight.used,
    stats: () => stats.snapshot(store.stored(), inflight.used()),
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}
