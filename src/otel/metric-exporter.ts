import type {
  AggregationOption,
  AggregationSelector,
  InstrumentType,
} from '@opentelemetry/sdk-metrics';
import { INVALID_ARGUMENT } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';
import { countDataPoints, encodeMetricsExport } from '../encode/metrics.js';
import type { ResourceMetricsLike } from '../encode/sdk-types.js';
import { serviceCodec } from '../protocol/encoded-codec.js';
import type { ExporterDefaults } from './exporter-defaults.js';
import type { OtlpExporterOptions } from './exporter-options.js';
import { OtlpExporterBase } from './otlp-exporter-base.js';
import type { OtlpTraceExporterBase } from './trace-exporter.js';

/**
 * Which aggregation temporality the exporter asks the SDK for, per instrument kind, as in
 * the OTLP exporter spec (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE). Numbers are
 * OTel's AggregationTemporalityPreference: DELTA 0, CUMULATIVE 1, LOWMEMORY 2.
 */
export type TemporalityPreference = 'cumulative' | 'delta' | 'lowmemory' | 0 | 1 | 2;

/** Options of {@link OTLPMetricExporter}. */
export interface OtlpMetricExporterOptions extends OtlpExporterOptions {
  /**
   * "delta": counters, histograms and gauges report deltas, up-down counters stay
   * cumulative. "lowmemory": only synchronous counters and histograms report deltas.
   * @default 'cumulative'
   */
  temporalityPreference?: TemporalityPreference;
  /**
   * Which aggregation the SDK uses per instrument kind, as in OpenTelemetry's metric
   * exporters: the PeriodicExportingMetricReader asks {@link OTLPMetricExporter.selectAggregation}.
   * @default the SDK's default aggregation for every instrument
   */
  aggregationPreference?: AggregationSelector;
}

const PREFERENCES = ['delta', 'cumulative', 'lowmemory'];

/**
 * The PushMetricExporter without its runtime (see {@link OtlpTraceExporterBase}): the
 * temporality and aggregation selectors the SDK's reader asks.
 */
export class OtlpMetricExporterBase extends OtlpExporterBase<ResourceMetricsLike> {
  readonly #preference: number;
  readonly #aggregation: AggregationSelector | undefined;

  constructor(options: OtlpMetricExporterOptions, defaults: ExporterDefaults) {
    const { temporalityPreference: p = 1, aggregationPreference, ...rest } = options;
    super(
      serviceCodec('metrics', 'metrics.v1.MetricsService'),
      encodeMetricsExport,
      countDataPoints,
      rest,
      defaults,
    );
    this.#aggregation = aggregationPreference;
    this.#preference = typeof p === 'string' ? PREFERENCES.indexOf(p.toLowerCase()) : p;
    if (this.#preference < 0) {
      throw new OtlpError(
        `option "temporalityPreference": expected "cumulative", "delta" or "lowmemory", got "${p}"`,
        INVALID_ARGUMENT,
      );
    }
  }

  /**
   * The SDK's AggregationTemporality (DELTA 0, CUMULATIVE 1) for an InstrumentType
   * ("COUNTER", "UP_DOWN_COUNTER", "OBSERVABLE_GAUGE"...).
   */
  selectAggregationTemporality(instrumentType: string): 0 | 1 {
    const p = this.#preference;
    if (p === 1 || instrumentType.includes('UP_DOWN')) return 1;
    if (p === 2) return instrumentType === 'COUNTER' || instrumentType === 'HISTOGRAM' ? 0 : 1;
    return 0;
  }

  /** The aggregation for an instrument kind: `aggregationPreference`'s, or the SDK default. */
  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.#aggregation?.(instrumentType) ?? { type: 0 as AggregationOption['type'] };
  }
}
