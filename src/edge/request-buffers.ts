import type { ExportResult } from '../otel/exporter-options.js';
import type { Flushable, FlushReport } from './flush-after-response.js';

/** The one method of an SDK exporter a buffer calls (our OTLP exporters, or any other). */
export interface ExporterLike<Batch> {
  export(batch: Batch, resultCallback: (result: ExportResult) => void): void;
}

/**
 * Sends `batch` (holding `count` items) with `exporter` once; the report carries the
 * outcome. Nothing is sent for an empty batch: OTLP forbids empty requests.
 */
export function exportOnce<Batch>(
  signal: FlushReport['signal'],
  exporter: ExporterLike<Batch>,
  batch: Batch,
  count: number,
): Promise<FlushReport> {
  if (count === 0) return Promise.resolve({ signal, items: 0, ok: true });
  return new Promise((resolve) => {
    exporter.export(batch, (result) =>
      resolve(
        result.code === 0
          ? { signal, items: count, ok: true }
          : { signal, items: count, ok: false, error: result.error ?? new Error('export failed') },
      ),
    );
  });
}

/**
 * A SpanProcessor that keeps one request's ended spans and exports them in one request
 * when flushed. It replaces the SDK's BatchSpanProcessor, whose timer Workers forbid in
 * global scope and whose batches would mix requests; a Simple processor would make one
 * export per span.
 */
export interface SpanBuffer extends Flushable {
  onStart(): void;
  onEnd(span: unknown): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Creates a {@link SpanBuffer} sending through `exporter`. */
export function createSpanBuffer(exporter: ExporterLike<never[]>): SpanBuffer {
  return bufferFor('traces', exporter, (add) => ({
    onStart() {},
    onEnd: add,
  }));
}

/** The LogRecordProcessor counterpart of {@link SpanBuffer}. */
export interface LogBuffer extends Flushable {
  onEmit(record: unknown): void;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Creates a {@link LogBuffer} sending through `exporter`. */
export function createLogBuffer(exporter: ExporterLike<never[]>): LogBuffer {
  return bufferFor('logs', exporter, (add) => ({ onEmit: add }));
}

function bufferFor<Hooks extends object>(
  signal: 'traces' | 'logs',
  exporter: ExporterLike<never[]>,
  hooks: (add: (item: unknown) => void) => Hooks,
): Hooks & Flushable & { forceFlush(): Promise<void>; shutdown(): Promise<void> } {
  let items: unknown[] = [];
  const flush = (): Promise<FlushReport> => {
    // Taken at once, so a second flush never sends the same items twice.
    const taken = items;
    items = [];
    return exportOnce(signal, exporter as ExporterLike<unknown[]>, taken, taken.length);
  };
  return {
    ...hooks((item) => {
      items.push(item);
    }),
    flush,
    forceFlush: async () => {
      await flush();
    },
    shutdown: async () => {
      await flush();
    },
  };
}
