import type { GetStatsResponse, SignalStats } from '../../../gen/otlpgrpcweb/query/v1/query_pb.js';

function kib(bytes: bigint): string {
  return `${(Number(bytes) / 1024).toFixed(1)} KiB`;
}

function part(name: string, s: SignalStats | undefined): string {
  if (!s) return `${name} 0`;
  const errors = Object.values(s.errorsByCode).reduce((a, b) => a + b, 0n);
  return `${name} ${s.itemsAccepted} accepted/${s.itemsRejected} rejected (${s.requests} req, ${kib(s.bytes)}${errors ? `, ${errors} failed` : ''})`;
}

/** The periodic one-line summary the CLI prints to stdout. */
export function formatSummary(stats: GetStatsResponse): string {
  return `otlp-receiver: ${part('traces', stats.traces)} | ${part('metrics', stats.metrics)} | ${part('logs', stats.logs)} | inflight ${stats.inflight}`;
}
