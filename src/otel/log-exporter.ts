import { encodeLogsExport } from '../encode/logs.js';
import type { LogRecordLike } from '../encode/sdk-types.js';
import { serviceCodec } from '../protocol/encoded-codec.js';
import type { OtlpExporterOptions } from './exporter-options.js';
import { OtlpExporterBase } from './otlp-exporter-base.js';

/**
 * A drop-in OpenTelemetry SDK LogRecordExporter sending OTLP over gRPC-web (default) or
 * any transport; use it under the SDK's BatchLogRecordProcessor.
 */
export class OTLPLogExporter extends OtlpExporterBase<readonly LogRecordLike[]> {
  constructor(options: OtlpExporterOptions = {}) {
    super(
      serviceCodec('logs', 'logs.v1.LogsService'),
      encodeLogsExport,
      (logs) => logs.length,
      options,
    );
  }
}
