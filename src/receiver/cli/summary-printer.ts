import { toJsonString } from '@bufbuild/protobuf';
import {
  type GetStatsResponse,
  SignalStatsSchema,
} from '../../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { formatSummary } from './summary.js';

/** Options for {@link createSummaryPrinter}. */
export interface SummaryPrinterOptions {
  /** Current counters. */
  stats: () => GetStatsResponse;
  /** Receives each summary line. */
  write: (line: string) => void;
}

/**
 * Prints a one-line summary when the counters moved since the last one printed, so an
 * idle receiver stays quiet. The CLI calls `print()` on a timer and once at exit.
 */
export interface SummaryPrinter {
  /** Prints a summary if anything changed; returns whether it printed. */
  print(): boolean;
}

/** Creates a {@link SummaryPrinter}. The first summary waits for the first change. */
export function createSummaryPrinter(options: SummaryPrinterOptions): SummaryPrinter {
  let last = fingerprint(options.stats());
  return {
    print() {
      const stats = options.stats();
      const now = fingerprint(stats);
      if (now === last) return false;
      last = now;
      options.write(formatSummary(stats));
      return true;
    },
  };
}

/** The counters that matter for "something changed": not in-flight calls, not start time. */
function fingerprint(stats: GetStatsResponse): string {
  return [stats.traces, stats.metrics, stats.logs]
    .map((s) => (s === undefined ? '' : toJsonString(SignalStatsSchema, s)))
    .join('|');
}
