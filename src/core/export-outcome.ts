import type { Code } from './code.js';
import type { DropReason } from './self-metrics.js';

/** How one export ended. */
export interface ExportOutcome {
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
  dropReason?: DropReason;
  /** A keepalive request that did not fit the budget: nothing was sent, the values are held. */
  deferred?: boolean;
}

/** An outcome with the given fields and nothing dropped or deferred. */
export const outcome = (
  ok: boolean,
  code: Code,
  message: string,
  items = 0,
  rejected = 0,
  attempts = 0,
): ExportOutcome => ({ ok, code, message, items, rejected, attempts });

/**
 * One outcome for the requests of one export: items and rejections summed, the most
 * attempts any needed; the first failure decides, otherwise the last partial-success
 * message.
 */
export function mergeOutcomes(results: readonly ExportOutcome[]): ExportOutcome {
  let total = outcome(true, 0, '');
  for (const r of results) {
    const { items, rejected, attempts } = total;
    if (total.ok && (!r.ok || r.message)) total = { ...r };
    total.items = items + r.items;
    total.rejected = rejected + r.rejected;
    total.attempts = Math.max(attempts, r.attempts);
  }
  return total;
}
