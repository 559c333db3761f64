/**
 * The `grpc-timeout` header value for a deadline of `ms` milliseconds, so the server
 * can give up when the client will no longer wait. gRPC allows at most 8 digits, so the
 * finest unit that fits is chosen ("250m", "100000u"); coarser units round up, leaving
 * the local timer to end the call. Non-positive deadlines become "1n" (already
 * expired); non-finite ones the largest value, "99999999H".
 */
export function encodeTimeout(ms: number): string {
  const ns = Math.max(1, Math.round(ms * 1e6));
  // Each unit with its length in nanoseconds, finest first.
  const sizes = [1, 1e3, 1e6, 1e9, 6e10, 3.6e12];
  for (let i = 0; i < 6; i++) {
    const value = Math.ceil(ns / sizes[i]!);
    if (value < 1e8) return value + 'numSMH'[i]!;
  }
  return '99999999H';
}
