import { type Code, codeName, UNKNOWN } from './code.js';

/** What an {@link OtlpError} says beyond its code, for callers that act on a failure. */
export interface OtlpErrorDetails {
  /** The HTTP status of the last answer, when there was one (a proxy's 503, say). */
  httpStatus?: number | undefined;
  /** Attempts made: 1 when the first failed for good, more after retries. */
  attempts?: number | undefined;
  /** The delay the server asked for (google.rpc.RetryInfo), in milliseconds. */
  retryDelayMs?: number | undefined;
  /** The endpoint URL of the last attempt. */
  endpoint?: string | undefined;
}

/**
 * The one error type of this package. Every failure, whether raised by a server, a
 * proxy, the network or bad configuration, is expressed as a gRPC {@link Code} so that
 * retry decisions and self-metrics look at a single field.
 */
export class OtlpError extends Error implements OtlpErrorDetails {
  override readonly name = 'OtlpError';
  /** The gRPC status code. */
  declare readonly code: Code;
  /** The message without the "[code]" prefix. */
  declare readonly rawMessage: string;
  declare readonly httpStatus?: number;
  declare readonly attempts?: number;
  declare readonly retryDelayMs?: number;
  declare readonly endpoint?: string;

  constructor(
    message: string,
    code: Code = UNKNOWN,
    options?: { cause?: unknown } & OtlpErrorDetails,
  ) {
    super(`[${codeName(code)}] ${message}`, options);
    const { httpStatus, attempts, retryDelayMs, endpoint } = options ?? {};
    Object.assign(this, {
      code,
      rawMessage: message,
      httpStatus,
      attempts,
      retryDelayMs,
      endpoint,
    });
  }

  /**
   * Wraps anything thrown into an OtlpError, keeping the original as `cause`, so
   * callers never need to inspect foreign error types.
   */
  static from(reason: unknown, code: Code = UNKNOWN): OtlpError {
    if (reason instanceof OtlpError) return reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    return new OtlpError(message, code, { cause: reason });
  }
}

/** True for an OtlpError, also one from another copy of this package (matched by name). */
export function isOtlpError(value: unknown): value is OtlpError {
  return value instanceof Error && value.name === 'OtlpError' && 'code' in value;
}
