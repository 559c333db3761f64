import {
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
  toBinary,
} from '@bufbuild/protobuf';
import { Code, ConnectError, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import {
  ExportLogsServiceRequestSchema,
  type ExportLogsServiceResponseSchema,
  type LogsService,
} from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import {
  ExportMetricsServiceRequestSchema,
  type ExportMetricsServiceResponseSchema,
  type MetricsService,
} from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import {
  ExportTraceServiceRequestSchema,
  type ExportTraceServiceResponseSchema,
  type TraceService,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { callRecordKey } from './call-record.js';
import type { ScannedRequest } from './item-scan.js';
import type { IngestResult, ReceiverSinks } from './sinks.js';

const scanSchema = {
  traces: ExportTraceServiceRequestSchema.typeName,
  logs: ExportLogsServiceRequestSchema.typeName,
};

/** Options for {@link createExportServices}. */
export interface ExportServicesOptions {
  /**
   * Holds every Export call this long before storing its data, to exercise overload and
   * graceful shutdown in tests and demos. Honours the call's deadline and cancellation.
   * @default 0
   */
  exportDelayMs?: number;
}

/** The three OTLP collector services, backed by the sinks. */
export interface ExportServices {
  traces: ServiceImpl<typeof TraceService>;
  metrics: ServiceImpl<typeof MetricsService>;
  logs: ServiceImpl<typeof LogsService>;
}

/**
 * Creates the TraceService, MetricsService and LogsService implementations. Each stores
 * what the sinks accept and answers partial_success when they reject some items, which
 * tells the exporter not to retry those.
 */
export function createExportServices(
  sinks: ReceiverSinks,
  options: ExportServicesOptions = {},
): ExportServices {
  const delayMs = options.exportDelayMs ?? 0;

  /**
   * The request as the gate decoded or scanned it (connect only parsed a placeholder),
   * after the hold.
   */
  async function take<Desc extends DescMessage>(
    schema: Desc,
    placeholder: MessageShape<Desc>,
    context: HandlerContext,
  ): Promise<Taken<Desc>> {
    if (delayMs > 0) await hold(delayMs, context.signal);
    const decoded = context.values.get(callRecordKey)?.decoded;
    if (decoded?.scan !== undefined && scanSchema[decoded.scan.signal] === schema.typeName) {
      return { scan: decoded.scan, bytes: decoded.bytes };
    }
    if (decoded?.message !== undefined && decoded.message.$typeName === schema.typeName) {
      return decoded as { message: MessageShape<Desc>; bytes: number };
    }
    // Reached only when the gate did not decode (a format it does not know): use connect's.
    return { message: placeholder, bytes: toBinary(schema, placeholder).byteLength };
  }

  const store = createExportStore(sinks);
  return {
    traces: {
      async export(req, context) {
        return store.traces(await take(ExportTraceServiceRequestSchema, req, context));
      },
    },
    metrics: {
      async export(req, context) {
        return store.metrics(await take(ExportMetricsServiceRequestSchema, req, context));
      },
    },
    logs: {
      async export(req, context) {
        return store.logs(await take(ExportLogsServiceRequestSchema, req, context));
      },
    },
  };
}

/** An Export request as the gate decoded (metrics) or scanned it (traces, logs). */
type Taken<Desc extends DescMessage> =
  | { message: MessageShape<Desc>; bytes: number }
  | { scan: ScannedRequest; bytes: number };

/** The response of an Export call, as connect's implementations return it. */
type Answer<Desc extends DescMessage> = Promise<MessageInitShape<Desc>>;

/** What an Export call does once its request is decoded, by signal. */
export interface ExportStore {
  traces(
    t: Taken<typeof ExportTraceServiceRequestSchema>,
  ): Answer<typeof ExportTraceServiceResponseSchema>;
  metrics(
    t: Taken<typeof ExportMetricsServiceRequestSchema>,
  ): Answer<typeof ExportMetricsServiceResponseSchema>;
  logs(
    t: Taken<typeof ExportLogsServiceRequestSchema>,
  ): Answer<typeof ExportLogsServiceResponseSchema>;
}

/**
 * Stores what the sinks accept of a decoded Export request and resolves, once it is
 * written, with the response: partial_success when the sinks rejected some items, which
 * tells the exporter not to retry those. Shared by connect's implementations and the
 * direct native gRPC path (grpc-direct.ts).
 */
export function createExportStore(sinks: ReceiverSinks): ExportStore {
  // Acknowledge only what is written: an answer sent before its JSONL line could be lost
  // to a crash the client never hears of.
  const answer = async <P>(
    r: IngestResult,
    make: (rejected: bigint, errorMessage: string) => P,
  ) => {
    await sinks.written();
    return partial(r) ? { partialSuccess: make(BigInt(r.rejected), r.errorMessage) } : {};
  };
  return {
    traces: (t) =>
      answer(
        'scan' in t ? sinks.ingestScanned(t.scan, t.bytes) : sinks.ingestTraces(t.message, t.bytes),
        (rejectedSpans, errorMessage) => ({ rejectedSpans, errorMessage }),
      ),
    metrics: (t) =>
      answer(
        // Metrics are always decoded (few points per request, and filtering needs them).
        'scan' in t ? { rejected: 0, errorMessage: '' } : sinks.ingestMetrics(t.message, t.bytes),
        (rejectedDataPoints, errorMessage) => ({ rejectedDataPoints, errorMessage }),
      ),
    logs: (t) =>
      answer(
        'scan' in t ? sinks.ingestScanned(t.scan, t.bytes) : sinks.ingestLogs(t.message, t.bytes),
        (rejectedLogRecords, errorMessage) => ({ rejectedLogRecords, errorMessage }),
      ),
  };
}

/** OTLP: partial_success is set when items were rejected, or to carry a warning. */
function partial(result: IngestResult): boolean {
  return result.rejected > 0 || result.errorMessage !== '';
}

function hold(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(ConnectError.from(signal.reason ?? 'call cancelled', Code.Canceled));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
