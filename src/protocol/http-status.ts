import {
  type Code,
  INTERNAL,
  PERMISSION_DENIED,
  UNAUTHENTICATED,
  UNAVAILABLE,
  UNIMPLEMENTED,
  UNKNOWN,
} from '../core/code.js';

// gRPC's http-grpc-status-mapping; every other status is UNKNOWN.
const codes: Record<number, Code> = {
  400: INTERNAL,
  401: UNAUTHENTICATED,
  403: PERMISSION_DENIED,
  404: UNIMPLEMENTED,
  429: UNAVAILABLE,
  502: UNAVAILABLE,
  503: UNAVAILABLE,
  504: UNAVAILABLE,
};

/**
 * The gRPC code for an HTTP status that came without grpc-status, as gRPC's
 * http-grpc-status-mapping prescribes, so that a proxy's plain "503 Service Unavailable"
 * becomes a retryable UNAVAILABLE rather than an unknown failure.
 */
export function codeFromHttpStatus(status: number): Code {
  return codes[status] ?? UNKNOWN;
}
