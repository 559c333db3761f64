import type { SelfMetricsRecorder } from './self-metrics.js';

/** The part of an OpenTelemetry Meter the recorder uses; structural, so no OTel import. */
export interface MeterLike {
  createCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    add(value: number, attributes?: Record<string, string>): void;
  };
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string },
  ): {
    record(value: number, attributes?: Record<string, string>): void;
  };
}

/**
 * Mirrors the self-metrics to an OpenTelemetry Meter (`otlp.exporter.exported`,
 * `.dropped`, `.retries` counters and the `.duration` histogram), for dashboards that
 * watch the exporter like any other component. Pass it as the `recorder` option; apps
 * that do not use it do not bundle it.
 *
 * @example
 * new OTLPTraceExporter({ recorder: createMeterRecorder(meterProvider.getMeter('exporter')) })
 */
export function createMeterRecorder(meter: MeterLike): SelfMetricsRecorder {
  const exported = meter.createCounter('otlp.exporter.exported', { unit: '{item}' });
  const dropped = meter.createCounter('otlp.exporter.dropped', { unit: '{item}' });
  const retries = meter.createCounter('otlp.exporter.retries', { unit: '{retry}' });
  const duration = meter.createHistogram('otlp.exporter.duration', { unit: 'ms' });
  return {
    exported(signal, items, latencyMs) {
      exported.add(items, { signal });
      duration.record(latencyMs, { signal });
    },
    retried: (signal) => retries.add(1, { signal }),
    dropped: (signal, reason, items) => dropped.add(items, { signal, reason }),
  };
}
