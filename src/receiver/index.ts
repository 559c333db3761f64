/**
 * The native OTLP receiver: `startReceiver()` serves TraceService, MetricsService and
 * LogsService (and a query service for what arrived) over gRPC, gRPC-web and Connect.
 */
export type { AuthOptions } from './auth.js';
export {
  createLogger,
  LOG_LEVELS,
  type Logger,
  type LoggerOptions,
  type LogLevel,
} from './logger.js';
export {
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_PORT,
  type ReceiverOptions,
} from './options.js';
export { type Receiver, startReceiver } from './server.js';
export type { IngestResult, ReceiverSinks, ReceiverSinksOptions, Signal } from './sinks.js';
export type { TlsOptions } from './tls.js';
