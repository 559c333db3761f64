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

  constructor(message: string, code: Code = Code.Unknown, options?: { cause?: unknown }) {
    super(`[${codeName(code)}] ${message}`, options);
    this.code = code;
    this.rawMessage = message;
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
