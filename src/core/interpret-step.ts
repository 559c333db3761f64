import { OtlpError } from './otlp-error.js';
import type { ServiceCodec } from './signal-codec.js';
import type { TransportResult } from './transport.js';

/** What an accepted request's answer says. */
export interface Answer {
  /** Items refused through partial_success. */
  rejected: number;
  /** partial_success's error_message, or "". */
  message: string;
  /** Why the answer could not be read, when it could not: its partial_success is unknown. */
  unread?: string | undefined;
}

/**
 * The interpret step for an OK: the partial_success of the answer. The server said OK, so
 * an unreadable answer (an encoding this runtime cannot decode, corrupt bytes) does not
 * un-deliver the items; it only hides their partial_success, which the caller reports.
 */
export function readAnswer(codec: ServiceCodec, result: TransportResult): Answer {
  const unread = result.responseUnread;
  if (unread) return { rejected: 0, message: '', unread };
  try {
    return codec.decodeResponse(result.body ?? new Uint8Array(0));
  } catch (error) {
    return {
      rejected: 0,
      message: '',
      unread: `response message unread: ${OtlpError.from(error).rawMessage}`,
    };
  }
}
