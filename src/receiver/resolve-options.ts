import { INVALID_ARGUMENT } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';
import { createLogger, type Logger } from './logger.js';
import {
  COMPRESS_RESPONSES_DEFAULT,
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_PORT,
  RECEIVER_LIMIT_DEFAULTS,
  type ReceiverOptions,
} from './options.js';
import type { TlsOptions } from './server/tls.js';

/** The largest message size an envelope can announce (2^32 - 1). */
const MAX_MESSAGE_BYTES_LIMIT = 0xffffffff;

/** The longest delay Node's timers take (2^31 - 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/** {@link ReceiverOptions} with defaults applied and values checked. */
export interface ResolvedReceiverOptions {
  host: string;
  port: number;
  tls: TlsOptions | undefined;
  corsOrigins: readonly string[];
  maxMessageBytes: number;
  maxInflight: number;
  retryDelayMs: number;
  exportDelayMs: number;
  apiKey: string | undefined;
  bearerToken: string | undefined;
  jsonlPath: string | undefined;
  maxStoredItems: number;
  maxStoredBytes: number;
  maxBufferedBytes: number;
  maxDecodedBytes: number;
  maxConnections: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  idleTimeoutMs: number;
  compressResponses: boolean;
  logger: Logger;
  shutdownGraceMs: number;
}

/**
 * Applies defaults and rejects impossible values with an OtlpError(INVALID_ARGUMENT)
 * naming the option, so a typo fails at start rather than as odd behaviour later.
 */
export function resolveReceiverOptions(options: ReceiverOptions = {}): ResolvedReceiverOptions {
  const int = (
    name: string,
    value: number | undefined,
    fallback: number,
    min: number,
    max: number,
  ) => {
    const v = value ?? fallback;
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new OtlpError(
        `${name} must be an integer from ${min} to ${max}, got ${v}`,
        INVALID_ARGUMENT,
      );
    }
    return v;
  };
  const host = options.host ?? '127.0.0.1';
  if (host === '') throw new OtlpError('host must not be empty', INVALID_ARGUMENT);
  for (const [name, value] of [
    ['apiKey', options.apiKey],
    ['bearerToken', options.bearerToken],
  ] as const) {
    if (value !== undefined && (value === '' || /[\r\n]/.test(value))) {
      throw new OtlpError(`${name} must be a non-empty single-line string`, INVALID_ARGUMENT);
    }
  }
  return {
    host,
    port: int('port', options.port, DEFAULT_PORT, 0, 65535),
    tls: options.tls,
    corsOrigins: options.corsOrigins ?? [],
    maxMessageBytes: int(
      'maxMessageBytes',
      options.maxMessageBytes,
      DEFAULT_MAX_MESSAGE_BYTES,
      1,
      MAX_MESSAGE_BYTES_LIMIT,
    ),
    maxInflight: int('maxInflight', options.maxInflight, 0, 0, Number.MAX_SAFE_INTEGER),
    retryDelayMs: int('retryDelayMs', options.retryDelayMs, 1000, 0, Number.MAX_SAFE_INTEGER),
    exportDelayMs: int('exportDelayMs', options.exportDelayMs, 0, 0, MAX_TIMER_MS),
    apiKey: options.apiKey,
    bearerToken: options.bearerToken,
    jsonlPath: options.jsonlPath,
    ...limits(options, int),
    compressResponses: options.compressResponses ?? COMPRESS_RESPONSES_DEFAULT,
    logger: options.logger ?? createLogger({ level: 'warn' }),
    shutdownGraceMs: int('shutdownGraceMs', options.shutdownGraceMs, 10_000, 0, MAX_TIMER_MS),
  };
}

type IntCheck = (
  name: string,
  v: number | undefined,
  fallback: number,
  min: number,
  max: number,
) => number;

function limits(options: ReceiverOptions, int: IntCheck) {
  const d = RECEIVER_LIMIT_DEFAULTS;
  const big = Number.MAX_SAFE_INTEGER;
  return {
    maxStoredItems: int('maxStoredItems', options.maxStoredItems, d.maxStoredItems, 1, big),
    maxStoredBytes: int('maxStoredBytes', options.maxStoredBytes, d.maxStoredBytes, 1, big),
    maxBufferedBytes: int('maxBufferedBytes', options.maxBufferedBytes, d.maxBufferedBytes, 1, big),
    maxDecodedBytes: int('maxDecodedBytes', options.maxDecodedBytes, d.maxDecodedBytes, 1, big),
    maxConnections: int('maxConnections', options.maxConnections, d.maxConnections, 1, big),
    headersTimeoutMs: int(
      'headersTimeoutMs',
      options.headersTimeoutMs,
      d.headersTimeoutMs,
      1,
      MAX_TIMER_MS,
    ),
    bodyTimeoutMs: int('bodyTimeoutMs', options.bodyTimeoutMs, d.bodyTimeoutMs, 1, MAX_TIMER_MS),
    idleTimeoutMs: int('idleTimeoutMs', options.idleTimeoutMs, d.idleTimeoutMs, 1, MAX_TIMER_MS),
  };
}
