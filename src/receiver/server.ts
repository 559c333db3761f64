import type { GetStatsResponse } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { createAuthCheck } from './auth.js';
import { createCors } from './cors.js';
import { createDrain } from './drain.js';
import { type Listening, listen } from './listen.js';
import { type ReceiverOptions, resolveReceiverOptions } from './options.js';
import { createInflightLimiter } from './overload.js';
import { createRequestListener } from './request-listener.js';
import { createRoutes } from './routes.js';
import { createReceiverSinks, type ReceiverSinks, type ReceiverSinksOptions } from './sinks.js';

/** A running OTLP receiver. */
export interface Receiver {
  /** The base URL clients use, e.g. `http://127.0.0.1:4317`. */
  readonly url: string;
  /** The bound host. */
  readonly host: string;
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  /** What was received: stored items, counters, the JSONL file. */
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
  const sinkOptions: ReceiverSinksOptions = {};
  if (o.jsonlPath !== undefined) sinkOptions.jsonlPath = o.jsonlPath;
  if (o.maxStoredItems !== undefined) sinkOptions.maxStoredItems = o.maxStoredItems;
  const sinks = createReceiverSinks(sinkOptions);
  const limiter = createInflightLimiter({
    maxInflight: o.maxInflight,
    retryDelayMs: o.retryDelayMs,
  });
  const drain = createDrain();
  const listener = createRequestListener({
    routes: createRoutes({
      sinks,
      inflight: limiter.inflight,
      maxMessageBytes: o.maxMessageBytes,
      exportDelayMs: o.exportDelayMs,
    }),
    cors: createCors(o.corsOrigins),
    drain,
    sinks,
    logger: o.logger,
    auth: createAuthCheck({ apiKey: o.apiKey, bearerToken: o.bearerToken }),
    limiter,
    maxMessageBytes: o.maxMessageBytes,
  });
  let listening: Listening;
  try {
    listening = await listen({
      host: o.host,
      port: o.port,
      tls: o.tls,
      listener,
      logger: o.logger,
    });
  } catch (e) {
    await sinks.close();
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
      o.logger.warn(
        `shutdown: ${drain.active()} call(s) still running after ${o.shutdownGraceMs} ms; closing their connections`,
      );
    }
    listening.destroyAll();
    await stopped;
    await sinks.close();
  }

  let closing: Promise<void> | undefined;
  const scheme = o.tls === undefined ? 'http' : 'https';
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `${scheme}://${host}:${listening.port}`,
    host: o.host,
    port: listening.port,
    sinks,
    inflight: limiter.inflight,
    stats: () => sinks.stats(limiter.inflight()),
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}
