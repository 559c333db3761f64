import { create } from '@bufbuild/protobuf';
import {
  type GetStatsResponse,
  GetStatsResponseSchema,
  type SignalStats,
  SignalStatsSchema,
} from '../../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { type Code, codeName } from '../../core/code.js';

/** The three OTLP signals the receiver serves. */
export type Signal = 'traces' | 'metrics' | 'logs';

/** The running totals per signal that GetStats returns and the CLI summary prints. */
export interface Stats {
  /** An Export call that stored its data: its size, items kept and items rejected. */
  countAccepted(signal: Signal, bytes: number, accepted: number, rejected: number): void;
  /** An Export call that failed: counts a request and an error by code. */
  countError(signal: Signal, code: Code): void;
  /** A copy of the totals, with what the store holds and the calls in flight. */
  snapshot(stored: Record<Signal, number>, inflight: number): GetStatsResponse;
  /** Resets every total and the start time. */
  clear(): void;
}

/** Creates the totals; `now` (ms) stamps the start time. */
export function createStats(now: () => number): Stats {
  const fresh = (): Record<Signal, SignalStats> => ({
    traces: create(SignalStatsSchema),
    metrics: create(SignalStatsSchema),
    logs: create(SignalStatsSchema),
  });
  let totals = fresh();
  let started = BigInt(now()) * 1_000_000n;
  return {
    countAccepted(signal, bytes, accepted, rejected) {
      const t = totals[signal];
      t.requests++;
      t.bytes += BigInt(bytes);
      t.itemsAccepted += BigInt(accepted);
      t.itemsRejected += BigInt(rejected);
    },
    countError(signal, code) {
      const t = totals[signal];
      t.requests++;
      const name = codeName(code);
      t.errorsByCode[name] = (t.errorsByCode[name] ?? 0n) + 1n;
    },
    snapshot(stored, inflight) {
      const copy = (signal: Signal) =>
        create(SignalStatsSchema, {
          ...totals[signal],
          errorsByCode: { ...totals[signal].errorsByCode },
          stored: BigInt(stored[signal]),
        });
      return create(GetStatsResponseSchema, {
        traces: copy('traces'),
        metrics: copy('metrics'),
        logs: copy('logs'),
        inflight,
        startedUnixNano: started,
      });
    },
    clear() {
      totals = fresh();
      started = BigInt(now()) * 1_000_000n;
    },
  };
}
