import { Code, codeName } from './code.js';

/**
 * The one error type of this package. Every failure, whether raised by a server, a
 * proxy, the network or bad configuration, is expressed as a gRPC {@link Code} so that
 * retry decisions and self-metrics look at a single field.
 */
export class OtlpError extends Error {
  override readonly name = 'OtlpError';
  /** The gRPC status code. */
  readonly code: Code;
  /** The message without the "[code]" prefix. */
  readonly rawMessage: string;
  /** Server-requested delay before retrying (google.rpc.RetryInfo), in milliseconds. */
  readonly retryDelayMs: number | undefined;

  constructor(
    message: string,
    code: Code = Code.Unknown,
    options: { cause?: unknown; retryDelayMs?: number } = {},
  ) {
    super(
      `[${codeName(code)}] ${message}`,
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.code = code;
    this.rawMessage = message;
    this.retryDelayMs = options.retryDelayMs;
  }

  /**
   * Wraps anything thrown into an OtlpError, keeping the original as `cause`, so
   * callers never need to inspect foreign error types.
   */
  static from(reason: unknown, code: Code = Code.Unknown): OtlpError {
    if (reason instanceof OtlpError) return reason;
    const message = reason instanceof Error ? reason.message : String(reason);
    return new OtlpError(message, code, { cause: reason });
  }
}

/** True for an OtlpError, also one from another copy of this package (matched by name). */
export function isOtlpError(value: unknown): value is OtlpError {
  return value instanceof Error && value.name === 'OtlpError' && 'code' in value;
}
