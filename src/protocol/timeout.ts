/**
 * The `grpc-timeout` header value for a deadline of `ms` milliseconds, so the server
 * can give up when the client will no longer wait. Whole milliseconds, rounded up
 * ("250m"): the exporters' deadlines are milliseconds, and gRPC's 8 digits of them reach
 * 27 hours, the cap for longer or non-finite deadlines. Non-positive deadlines become
 * "1m" (already expired by the time it arrives).
 */
export function encodeTimeout(ms: number): string {
  return `${Math.min(Math.max(1, Math.ceil(ms)) || 99_999_999, 99_999_999)}m`;
}
