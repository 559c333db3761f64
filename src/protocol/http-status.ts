import { Code } from '../core/code.js';

// gRPC's http-grpc-status-mapping; every other status is UNKNOWN.
const codes: Record<number, Code> = {
  400: Code.Internal,
  401: Code.Unauthenticated,
  403: Code.PermissionDenied,
  404: Code.Unimplemented,
  429: Code.Unavailable,
  502: Code.Unavailable,
  503: Code.Unavailable,
  504: Code.Unavailable,
};

/**
 * The gRPC code for an HTTP status that came without grpc-status, as gRPC's
 * http-grpc-status-mapping prescribes, so that a proxy's plain "503 Service Unavailable"
 * becomes a retryable UNAVAILABLE rather than an unknown failure.
 */
export function codeFromHttpStatus(status: number): Code {
  return codes[status] ?? Code.Unknown;
}
