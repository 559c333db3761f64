/**
 * The native OTLP receiver: `startReceiver()` serves TraceService, MetricsService and
 * LogsService (and a query service for what arrived) over gRPC, gRPC-web and Connect.
 *
 * Where things are: `server/` listens and speaks the protocols (connections, limits,
 * auth, CORS, reading and answering a call); `calls/` holds the methods (Export
 * validation, the query service); `store/` keeps what arrived (the bounded store, the
 * totals, the JSONL file); `cli/` is the `otlp-receiver` command.
 */
export type { Rejections as IngestResult } from './calls/validate.js';
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
  RECEIVER_LIMIT_DEFAULTS,
  type ReceiverOptions,
} from './options.js';
export type { AuthOptions } from './server/auth.js';
export type { TlsOptions } from './server/tls.js';
export { type Receiver, type ReceiverSinks, startReceiver } from './start-receiver.js';
export type { Signal } from './store/stats.js';
