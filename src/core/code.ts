/*
 * gRPC status codes, as plain constants: a bundler inlines each one where it is used, so
 * an app pays for the numbers it compares against and nothing more (a TypeScript `enum`
 * compiles to an object with a reverse map that every bundle kept whole). The package's
 * own code uses these (`as const`: they stay their literal type in object literals); apps
 * use the {@link Code} object, which only their bundles carry.
 */

/** Not an error: the server accepted the request. */
export const OK = 0 as const;
/** The call was cancelled, typically by the caller. */
export const CANCELED = 1 as const;
/** An error without a better code: an unparseable status, a 200 that is not gRPC. */
export const UNKNOWN = 2 as const;
/** The request (or an option) is malformed; sending it again will not help. */
export const INVALID_ARGUMENT = 3 as const;
/** The deadline passed before the call finished. */
export const DEADLINE_EXCEEDED = 4 as const;
export const NOT_FOUND = 5 as const;
export const ALREADY_EXISTS = 6 as const;
export const PERMISSION_DENIED = 7 as const;
/** Over a limit: retryable only when the server sent RetryInfo (OTLP). */
export const RESOURCE_EXHAUSTED = 8 as const;
export const FAILED_PRECONDITION = 9 as const;
export const ABORTED = 10 as const;
export const OUT_OF_RANGE = 11 as const;
/** The server does not have the method, or refuses the request's encoding. */
export const UNIMPLEMENTED = 12 as const;
export const INTERNAL = 13 as const;
/** The server or the network is down for now: retryable. */
export const UNAVAILABLE = 14 as const;
export const DATA_LOSS = 15 as const;
export const UNAUTHENTICATED = 16 as const;

/**
 * gRPC status codes by name, for apps (`error.code === Code.Unavailable`). An object of
 * the constants above, so only bundles that import it carry it.
 */
export const Code = {
  Ok: OK,
  Canceled: CANCELED,
  Unknown: UNKNOWN,
  InvalidArgument: INVALID_ARGUMENT,
  DeadlineExceeded: DEADLINE_EXCEEDED,
  NotFound: NOT_FOUND,
  AlreadyExists: ALREADY_EXISTS,
  PermissionDenied: PERMISSION_DENIED,
  ResourceExhausted: RESOURCE_EXHAUSTED,
  FailedPrecondition: FAILED_PRECONDITION,
  Aborted: ABORTED,
  OutOfRange: OUT_OF_RANGE,
  Unimplemented: UNIMPLEMENTED,
  Internal: INTERNAL,
  Unavailable: UNAVAILABLE,
  DataLoss: DATA_LOSS,
  Unauthenticated: UNAUTHENTICATED,
} as const;

/** A gRPC status code, 0 (OK) to 16 (UNAUTHENTICATED). */
export type Code = (typeof Code)[keyof typeof Code];

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
