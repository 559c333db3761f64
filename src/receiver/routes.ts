import { create, type DescMessage, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { createConnectRouter } from '@connectrpc/connect';
import type { UniversalHandler } from '@connectrpc/connect/protocol';
import {
  ExportLogsServiceRequestSchema,
  ExportLogsServiceResponseSchema,
  LogsService,
} from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import {
  ExportMetricsServiceRequestSchema,
  ExportMetricsServiceResponseSchema,
  MetricsService,
} from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
  TraceService,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { QueryService } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { recordOutcome } from './call-record.js';
import type { DecodedRequest } from './decode-request.js';
import { createExportServices, createExportStore } from './export-service.js';
import { receiverGzip } from './gzip.js';
import { createQueryService } from './query-service.js';
import type { ReceiverSinks, Signal } from './sinks.js';

/** One servable method: connect's handler for all three protocols, and what it carries. */
export interface Route {
  readonly handler: UniversalHandler;
  /** The signal of an OTLP Export method; undefined for the query service. */
  readonly signal: Signal | undefined;
  /** The Export request schema the gate decodes with; undefined for the query service. */
  readonly schema: DescMessage | undefined;
  /**
   * An Export method's work without connect, when no hold (exportDelayMs) is configured:
   * stores the request the gate decoded and resolves with the serialized response, for
   * the direct native gRPC answer (grpc-direct.ts).
   */
  readonly direct: ((decoded: DecodedRequest) => Promise<Uint8Array>) | undefined;
}

/** Options for {@link createRoutes}. */
export interface RoutesOptions {
  sinks: ReceiverSinks;
  /** Export calls in flight, for the query service's stats. */
  inflight: () => number;
  /** Largest request message, compressed or not. */
  maxMessageBytes: number;
  /** See ExportServicesOptions.exportDelayMs. */
  exportDelayMs: number;
}

/**
 * Every method the receiver serves, by request path: the three OTLP Export methods and
 * the query service, each speaking gRPC, gRPC-web and Connect through one connect router.
 */
export function createRoutes(options: RoutesOptions): Map<string, Route> {
  const router = createConnectRouter({
    acceptCompression: [receiverGzip],
    readMaxBytes: options.maxMessageBytes,
    interceptors: [recordOutcome],
  });
  const exports = createExportServices(options.sinks, { exportDelayMs: options.exportDelayMs });
  router.service(TraceService, exports.traces);
  router.service(MetricsService, exports.metrics);
  router.service(LogsService, exports.logs);
  router.service(QueryService, createQueryService(options.sinks, options.inflight));
  const exportsByService = new Map<string, { signal: Signal; schema: DescMessage }>([
    [TraceService.typeName, { signal: 'traces', schema: ExportTraceServiceRequestSchema }],
    [MetricsService.typeName, { signal: 'metrics', schema: ExportMetricsServiceRequestSchema }],
    [LogsService.typeName, { signal: 'logs', schema: ExportLogsServiceRequestSchema }],
  ]);
  const direct = options.exportDelayMs > 0 ? undefined : directAnswers(options.sinks);
  const routes = new Map<string, Route>();
  for (const handler of router.handlers) {
    const exported = exportsByService.get(handler.service.typeName);
    routes.set(handler.requestPath, {
      handler,
      signal: exported?.signal,
      schema: exported?.schema,
      direct: exported && direct?.[exported.signal],
    });
  }
  return routes;
}

// The gate decoded each request with its route's schema, the one `run` takes.
function directAnswers(sinks: ReceiverSinks): Record<Signal, NonNullable<Route['direct']>> {
  const store = createExportStore(sinks);
  const answer =
    <S extends DescMessage>(schema: S, run: (t: never) => Promise<MessageInitShape<S>>) =>
    async (decoded: DecodedRequest) =>
      toBinary(schema, create(schema, await run(decoded as never)));
  return {
    traces: answer(ExportTraceServiceResponseSchema, store.traces),
    metrics: answer(ExportMetricsServiceResponseSchema, store.metrics),
    logs: answer(ExportLogsServiceResponseSchema, store.logs),
  };
}
