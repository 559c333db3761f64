import { encodeLogsExport } from '../encode/logs.js';
import type { LogRecordLike } from '../encode/sdk-types.js';
import { serviceCodec } from '../protocol/encoded-codec.js';
import type { ExporterDefaults } from './exporter-defaults.js';
import type { OtlpExporterOptions } from './exporter-options.js';
import { OtlpExporterBase } from './otlp-exporter-base.js';
import type { OtlpTraceExporterBase } from './trace-exporter.js';

/** The LogRecordExporter without its runtime (see {@link OtlpTraceExporterBase}). */
export class OtlpLogExporterBase extends OtlpExporterBase<readonly LogRecordLike[]> {
  constructor(options: OtlpExporterOptions, defaults: ExporterDefaults) {
    super(
      serviceCodec('logs', 'logs.v1.LogsService'),
      encodeLogsExport,
      (logs) => logs.length,
      options,
      defaults,
    );
  }
}
