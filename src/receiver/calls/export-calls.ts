import type { DescMessage, DescMethod, MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import { Code, ConnectError } from '@connectrpc/connect';
import { LogsService } from '../../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { MetricsService } from '../../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { TraceService } from '../../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
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
  /** One Export method; `rejectedField` names the signal's count in partial_success. */
  const exportMethod = <I extends DescMessage, O extends DescMessage>(
    desc: DescMethod & { input: I; output: O },
    signal: Signal,
    filter: (r: MessageShape<I>) => Checked,
    keep: (r: MessageShape<I>, bytes: number) => void,
    rejectedField: 'rejectedSpans' | 'rejectedDataPoints' | 'rejectedLogRecords',
  ) =>
    method(desc, signal, async (request, call) => {
      const r = await accept(signal, desc.input, request, call, filter, keep);
      // OTLP: partial_success is set when items were rejected, or to carry a warning.
      const partial = r.rejected > 0 || r.errorMessage !== '';
      const partialSuccess = { [rejectedField]: BigInt(r.rejected), errorMessage: r.errorMessage };
      return (partial ? { partialSuccess } : {}) as MessageInitShape<O>;
    });
  return [
    exportMethod(
      TraceService.method.export,
      'traces',
      filterTraces,
      o.store.addTraces,
      'rejectedSpans',
    ),
    exportMethod(
      MetricsService.method.export,
      'metrics',
      filterMetrics,
      o.store.addMetrics,
      'rejectedDataPoints',
    ),
    exportMethod(
      LogsService.method.export,
      'logs',
      filterLogs,
      o.store.addLogs,
      'rejectedLogRecords',
    ),
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
