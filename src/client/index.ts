export {
  createOtlpClient,
  type OtlpClient,
  type OtlpClientOptions,
  type SignalClient,
} from './otlp-client.js';
export {
  type EncodedRequest,
  encodeLogsRequest,
  encodeMetricsRequest,
  encodeTraceRequest,
  type LogsRequestInput,
  type MetricsRequestInput,
  requestCodecs,
  type TraceRequestInput,
} from './request-codecs.js';
