import type { Logger } from '../logger.js';

/**
 * Logs when a limit is hit (a connection refused, a body timed out, a call shed): the
 * first time at once, then at most once per `intervalMs` per limit with how many more
 * there were, so an attack is visible in the log without flooding it.
 */
export type LimitLog = (limit: string, detail: string) => void;

/** Creates a {@link LimitLog} writing warnings to `logger`. */
export function createLimitLog(logger: Logger, now: () => number, intervalMs = 10_000): LimitLog {
  const last = new Map<string, { at: number; suppressed: number }>();
  return (limit, detail) => {
    const t = now();
    const seen = last.get(limit);
    if (seen !== undefined && t - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    const more = seen?.suppressed ? ` (and ${seen.suppressed} more since the last report)` : '';
    last.set(limit, { at: t, suppressed: 0 });
    logger.warn(`limit hit: ${limit}: ${detail}${more}`);
  };
}
