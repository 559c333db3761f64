import { QueryService } from '../../../gen/otlpgrpcweb/query/v1/query_pb.js';
import type { Stats } from '../store/stats.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { type Method, method } from './method.js';

/**
 * The receiver's read API over what it stored and counted, served beside the OTLP
 * services on the same port, so the demo page and tests see what arrived.
 */
export function createQueryCalls(
  store: TelemetryStore,
  stats: Stats,
  inflight: () => number,
): Method[] {
  const q = QueryService.method;
  return [
    method(q.getStats, undefined, async () => stats.snapshot(store.stored(), inflight())),
    method(q.listSpans, undefined, async (request) => store.listSpans(request)),
    method(q.listLogs, undefined, async (request) => store.listLogs(request)),
    method(q.listMetrics, undefined, async (request) => store.listMetrics(request)),
    method(q.clear, undefined, async () => {
      store.clear();
      stats.clear();
      return {};
    }),
  ];
}
