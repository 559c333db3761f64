import type { ServiceImpl } from '@connectrpc/connect';
import type { QueryService } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import type { ReceiverSinks } from './sinks.js';

/** The receiver's read API over its sinks, served beside the OTLP services. */
export function createQueryService(
  sinks: ReceiverSinks,
  inflight: () => number,
): ServiceImpl<typeof QueryService> {
  return {
    getStats: () => sinks.stats(inflight()),
    listSpans: (request) => sinks.listSpans(request),
    listLogs: (request) => sinks.listLogs(request),
    listMetrics: (request) => sinks.listMetrics(request),
    clear: () => {
      sinks.clear();
      return {};
    },
  };
}
