import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import {
  ExportLogsServiceRequestSchema,
  LogsService,
} from '../../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import {
  ExportMetricsServiceRequestSchema,
  MetricsService,
} from '../../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import {
  ExportTraceServiceRequestSchema,
  TraceService,
} from '../../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import type { JsonlSink } from '../store/jsonl-sink.js';
import { toOtlpJson } from '../store/otlp-json.js';
import type { Signal, Stats } from '../store/stats.js';
import type { TelemetryStore } from '../store/telemetry-store.js';
import { type CallContext, type Method, method } from './method.js';
import {
  type Checked,
  filterLogs,
  filterMetrics,
  filterTraces,
  type Rejections,
} from './validate.js';

/** What the Export methods write to. */
export interface ExportCallsOptions {
  store: TelemetryStore;
  stats: Stats;
  /** The JSON Lines file, when one is configured. */
  jsonl: JsonlSink | undefined;
  /**
   * Holds every Export call this long before storing its data, to exercise overload and
   * graceful shutdown in tests and demos. Honours the call's deadline and cancellation.
   */
  exportDelayMs: number;
}

/**
 * TraceService, MetricsService and LogsService Export. Each validates the request (items
 * with invalid ids are rejected through partial_success, which tells the exporter not to
 * retry them), writes what remains to the JSONL file and waits for the write, so an
 * acknowledged request survives a crash, then keeps it in the store and counts it. Data
 * the file refused is refused to the client as UNAVAILABLE (retryable), never acknowledged.
 */
export function createExportCalls(o: ExportCallsOptions): Method[] {
  async function accept<D extends DescMessage>(
    signal: Signal,
    schema: D,
    request: MessageShape<D>,
    call: CallContext,
    filter: (r: MessageShape<D>) => Checked,
    keep: (r: MessageShape<D>, bytes: number) => void,
  ): Promise<Rejections> {
    if (o.exportDelayMs > 0) await hold(o.exportDelayMs, call.signal);
    const result = filter(request);
    if (o.jsonl !== undefined && result.accepted > 0) {
      try {
        await o.jsonl.append(toOtlpJson(schema, request));
      } catch (e) {
        throw new ConnectError(
          `receiver cannot store the data: ${(e as Error).message}`,
          Code.Unavailable,
        );
      }
    }
    keep(request, call.retainedBytes);
    o.stats.countAccepted(signal, call.messageBytes, result.accepted, result.rejected);
    return result;
  }
  const partial = (r: Rejections) => r.rejected > 0 || r.errorMessage !== '';
  return [
    method(TraceService.method.export, 'traces', async (request, call) => {
      const r = await accept(
        'traces',
        ExportTraceServiceRequestSchema,
        request,
        call,
        filterTraces,
        o.store.addTraces,
      );
      return partial(r)
        ? { partialSuccess: { rejectedSpans: BigInt(r.rejected), errorMessage: r.errorMessage } }
        : {};
    }),
    method(MetricsService.method.export, 'metrics', async (request, call) => {
      const r = await accept(
        'metrics',
        ExportMetricsServiceRequestSchema,
        request,
        call,
        filterMetrics,
        o.store.addMetrics,
      );
      return partial(r)
        ? {
            partialSuccess: {
              rejectedDataPoints: BigInt(r.rejected),
              errorMessage: r.errorMessage,
            },
          }
        : {};
    }),
    method(LogsService.method.export, 'logs', async (request, call) => {
      const r = await accept(
        'logs',
        ExportLogsServiceRequestSchema,
        request,
        call,
        filterLogs,
        o.store.addLogs,
      );
      return partial(r)
        ? {
            partialSuccess: {
              rejectedLogRecords: BigInt(r.rejected),
              errorMessage: r.errorMessage,
            },
          }
        : {};
    }),
  ];
}

function hold(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
