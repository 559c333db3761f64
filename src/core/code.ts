/**
 * gRPC status codes. A plain object rather than a TypeScript `enum` so that bundlers
 * can inline the numbers and drop what an app never reads.
 */
export const Code = {
  Ok: 0,
  Canceled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;

/** A gRPC status code number (0-16). */
export type Code = (typeof Code)[keyof typeof Code];

const names = [
  'ok',
  'canceled',
  'unknown',
  'invalid_argument',
  'deadline_exceeded',
  'not_found',
  'already_exists',
  'permission_denied',
  'resource_exhausted',
  'failed_precondition',
  'aborted',
  'out_of_range',
  'unimplemented',
  'internal',
  'unavailable',
  'data_loss',
  'unauthenticated',
];

/**
 * The snake_case name of a code ("resource_exhausted"), as used in self-metrics and
 * error messages, because people read names, not numbers.
 */
export function codeName(code: number): string {
  return names[code] ?? `code_${code}`;
}
