import type { Code } from './code.js';
import type { OtlpErrorDetails } from './otlp-error.js';
import type { DropReason } from './self-metrics.js';

/**
 * How one export ended; a failure also says what {@link OtlpErrorDetails} says (the HTTP
 * status, the RetryInfo delay and the endpoint of the last attempt).
 */
export interface ExportOutcome extends OtlpErrorDetails {
  ok: boolean;
  /** Code.Ok, or the final failure's code. */
  code: Code;
  /** partial_success message on success; the failure's description otherwise. */
  message: string;
  items: number;
  /** Items refused through partial_success. */
  rejected: number;
  attempts: number;
  /** Why the items were dropped, when they were. */
  dropReason?: DropReason | undefined;
  /**
   * Not delivered yet, nor dropped: a keepalive request that did not fit the budget (held
   * for the next export), or a request kept by the durable queue for a later replay.
   */
  deferred?: boolean;
}

/**
 * One outcome for the requests of one export: items and rejections summed, the most
 * attempts any needed; the first failure decides, otherwise the last partial-success
 * message.
 */
export function mergeOutcomes(results: readonly ExportOutcome[]): ExportOutcome {
  let total: ExportOutcome = { ok: true, code: 0, message: '', items: 0, rejected: 0, attempts: 0 };
  for (const r of results) {
    total = {
      ...(total.ok && (!r.ok || r.message) ? r : total),
      items: total.items + r.items,
      rejected: total.rejected + r.rejected,
      attempts: Math.max(total.attempts, r.attempts),
    };
  }
  return total;
}
