import { type Code, UNKNOWN } from '../core/code.js';
import type { HeaderGetter } from './header-getter.js';
import { retryDelayFromStatusDetails } from './status-details.js';

/** A gRPC status as read from headers or trailers. */
export interface GrpcStatus {
  code: Code;
  /** grpc-message, percent-decoded. */
  message: string;
  /** RetryInfo.retry_delay from grpc-status-details-bin, in milliseconds. */
  retryDelayMs?: number;
}

/**
 * Reads grpc-status, grpc-message and grpc-status-details-bin from headers (Trailers-Only)
 * or trailers; undefined when grpc-status (or the source) is absent, so callers can tell
 * "no status" from "status OK". A grpc-status that is not a code 0-16 becomes UNKNOWN
 * with a message naming it, as gRPC prescribes for unparseable statuses.
 */
export function readStatus(source: HeaderGetter | undefined): GrpcStatus | undefined {
  const raw = source?.get('grpc-status');
  if (raw == null) return undefined;
  const message = percentDecode(source!.get('grpc-message') ?? '');
  const valid = /^\s*\d{1,2}\s*$/.test(raw) && +raw < 17;
  const delay = retryDelayFromStatusDetails(source!.get('grpc-status-details-bin'));
  const status: GrpcStatus = {
    code: valid ? (+raw as Code) : UNKNOWN,
    message: valid ? message : `invalid grpc-status ${raw}: ${message}`,
  };
  if (delay !== undefined) status.retryDelayMs = delay;
  return status;
}

/**
 * Decodes grpc-message's percent-encoding (UTF-8 bytes as %XX). Runs of escapes are
 * decoded together so multi-byte characters survive; a run that is not valid UTF-8 is
 * kept as sent rather than losing the whole message.
 */
export function percentDecode(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}
