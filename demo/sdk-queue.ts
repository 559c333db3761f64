import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-web';
import type { ExportResult } from '../src/web/index.js';

/**
 * The SDK side of the queue. The OTel exporters get items only when the SDK's batch
 * processor exports, so while the backend is down the spans and log records wait in the
 * processor, not in the exporter: its self-metrics show an empty queue. This counts what
 * the processor holds: items it accepted minus those handed to the exporter, and what it
 * dropped because its queue was full (the processor's own rule, mirrored).
 */
export interface SdkQueue {
  /** Items waiting in the SDK's batch processor. */
  readonly queued: number;
  /** Items the processor dropped because its queue was full. */
  readonly dropped: number;
}

/** The exporter the processor hands batches to. */
interface Exporter<I> {
  export(items: readonly I[], done: (result: ExportResult) => void): void;
}

function createCounter<I>(exporter: Exporter<I>, maxQueueSize: number) {
  let accepted = 0;
  let handed = 0;
  let dropped = 0;
  const original = exporter.export.bind(exporter);
  exporter.export = (items, done) => {
    handed += items.length;
    original(items, done);
  };
  return {
    queue: {
      get queued() {
        return accepted - handed;
      },
      get dropped() {
        return dropped;
      },
    } satisfies SdkQueue,
    add() {
      if (accepted - handed >= maxQueueSize) dropped++;
      else accepted++;
    },
  };
}

/** Wraps a BatchSpanProcessor (built with `maxQueueSize`) to count its queue. */
export function countingSpanProcessor<I>(
  inner: SpanProcessor,
  exporter: Exporter<I>,
  maxQueueSize: number,
): { processor: SpanProcessor; queue: SdkQueue } {
  const counter = createCounter(exporter, maxQueueSize);
  const processor: SpanProcessor = {
    onStart: (span: Span, context: Context) => inner.onStart(span, context),
    onEnd(span: ReadableSpan) {
      // The batch processor ignores unsampled spans.
      if (span.spanContext().traceFlags & 1) counter.add();
      inner.onEnd(span);
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
  return { processor, queue: counter.queue };
}

/** Wraps a BatchLogRecordProcessor (built with `maxQueueSize`) to count its queue. */
export function countingLogProcessor<I>(
  inner: LogRecordProcessor,
  exporter: Exporter<I>,
  maxQueueSize: number,
): { processor: LogRecordProcessor; queue: SdkQueue } {
  const counter = createCounter(exporter, maxQueueSize);
  const processor: LogRecordProcessor = {
    onEmit(record: SdkLogRecord, context?: Context) {
      counter.add();
      inner.onEmit(record, context);
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
  return { processor, queue: counter.queue };
}
