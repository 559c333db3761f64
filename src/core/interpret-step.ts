import { OtlpError } from './otlp-error.js';
import type { ServiceCodec } from './signal-codec.js';
import type { TransportResult } from './transport.js';

/** What an accepted request's answer says. */
export interface Answer {
  /** Items refused through partial_success. */
  rejected: number;
  /** partial_success's error_message, or "". */
  message: string;
  /**
   * When the answer could not be read, why, as onPartialSuccess reports it
   * ("partial_success unknown: ..."): its partial_success is unknown.
   */
  unread?: string | undefined;
}

/**
 * The interpret step for an OK: the partial_success of the answer. The server said OK, so
 * an unreadable answer (an encoding this runtime cannot decode, corrupt bytes) does not
 * un-deliver the items; it only hides their partial_success, which the caller reports.
 */
export function readAnswer(codec: ServiceCodec, result: TransportResult): Answer {
  let unread = result.responseUnread;
  if (!unread) {
    try {
      return codec.decodeResponse(result.body ?? new Uint8Array(0));
    } catch (error) {
      unread = `response message unread: ${OtlpError.from(error).rawMessage}`;
    }
  }
  return { rejected: 0, message: '', unread: `partial_success unknown: ${unread}` };
}
