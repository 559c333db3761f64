import type { SelfMetricsSnapshot } from './self-metrics.js';

/** What an observable instrument's callback gets: OpenTelemetry's ObservableResult. */
export interface ObservationLike {
  observe(value: number, attributes?: Record<string, string>): void;
}

/** The part of an OpenTelemetry Meter {@link recordSelfMetrics} uses; structural, no OTel import. */
export interface MeterLike {
  createObservableCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): { addCallback(callback: (result: ObservationLike) => void): void };
  createObservableUpDownCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): { addCallback(callback: (result: ObservationLike) => void): void };
}

/** Anything with self-metrics: an exporter, or a signal of `createOtlpClient`. */
export interface SelfMetricsSource {
  metrics(): SelfMetricsSnapshot;
}

/**
 * Publishes exporters' self-metrics through an OpenTelemetry Meter, for dashboards that
 * watch the exporter like any other component: `otlp.exporter.exported`, `.rejected`,
 * `.dropped` (by `reason`), `.responses_unread`, `.retries` and `.bytes_sent` as observable counters and
 * `.queued` as an observable up-down counter, each with a `signal` attribute. Observable
 * instruments read `metrics()` when the reader collects, so the export path carries no
 * hooks and apps that do not call this do not bundle it.
 *
 * @example
 * const exporter = new OTLPTraceExporter({ url });
 * recordSelfMetrics(meterProvider.getMeter('otlp-grpc-web'), exporter);
 */
export function recordSelfMetrics(meter: MeterLike, ...sources: SelfMetricsSource[]): void {
  const counter = (
    name: string,
    unit: string,
    read: (m: SelfMetricsSnapshot, observe: (value: number, extra?: object) => void) => void,
    upDown = false,
  ) => {
    const options = { unit };
    const instrument = upDown
      ? meter.createObservableUpDownCounter(name, options)
      : meter.createObservableCounter(name, options);
    instrument.addCallback((result) => {
      for (const source of sources) {
        const m = source.metrics();
        read(m, (value, extra) => result.observe(value, { signal: m.signal, ...extra }));
      }
    });
  };
  counter('otlp.exporter.exported', '{item}', (m, observe) => observe(m.itemsSent));
  counter('otlp.exporter.rejected', '{item}', (m, observe) => observe(m.itemsRejected));
  counter('otlp.exporter.dropped', '{item}', (m, observe) => {
    for (const [reason, items] of Object.entries(m.droppedByReason)) observe(items, { reason });
  });
  counter('otlp.exporter.responses_unread', '{export}', (m, observe) => observe(m.responsesUnread));
  counter('otlp.exporter.retries', '{retry}', (m, observe) => observe(m.retries));
  counter('otlp.exporter.bytes_sent', 'By', (m, observe) => observe(m.bytesSent));
  counter('otlp.exporter.queued', '{item}', (m, observe) => observe(m.queuedItems), true);
}
