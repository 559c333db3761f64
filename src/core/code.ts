/**
 * gRPC status codes. A TypeScript `enum` because esbuild (and tsc-based bundlers) inline
 * enum members as numbers across modules, so an app that never imports `Code` itself
 * pays nothing for it (measured with scripts/size.mjs; a plain object is kept whole).
 */
export enum Code {
  Ok = 0,
  Canceled = 1,
  Unknown = 2,
  InvalidArgument = 3,
  DeadlineExceeded = 4,
  NotFound = 5,
  AlreadyExists = 6,
  PermissionDenied = 7,
  ResourceExhausted = 8,
  FailedPrecondition = 9,
  Aborted = 10,
  OutOfRange = 11,
  Unimplemented = 12,
  Internal = 13,
  Unavailable = 14,
  DataLoss = 15,
  Unauthenticated = 16,
}

// One space-separated string: the cheapest table a minifier can keep.
const names =
  'ok canceled unknown invalid_argument deadline_exceeded not_found already_exists permission_denied resource_exhausted failed_precondition aborted out_of_range unimplemented internal unavailable data_loss unauthenticated'.split(
    ' ',
  );

/**
 * The snake_case name of a code ("resource_exhausted"), as used in self-metrics and
 * error messages, because people read names, not numbers.
 */
export function codeName(code: number): string {
  return names[code] ?? `code_${code}`;
}
