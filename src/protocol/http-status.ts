import { Code } from '../core/code.js';

/**
 * The gRPC code for an HTTP status that came without grpc-status, as gRPC's
 * http-grpc-status-mapping prescribes, so that a proxy's plain "503 Service Unavailable"
 * becomes a retryable UNAVAILABLE rather than an unknown failure.
 */
export function codeFromHttpStatus(status: number): Code {
  switch (status) {
    case 400:
      return Code.Internal;
    case 401:
      return Code.Unauthenticated;
    case 403:
      return Code.PermissionDenied;
    case 404:
      return Code.Unimplemented;
    case 429:
    case 502:
    case 503:
    case 504:
      return Code.Unavailable;
    default:
      return Code.Unknown;
  }
}
