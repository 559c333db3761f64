import { concatBytes } from '../core/concat-bytes.js';
import type { EncodedRequest, ServiceCodec, Signal, SignalCodec } from '../core/signal-codec.js';
import { decodePartialSuccess } from './partial-success.js';

export type { EncodedRequest } from '../core/signal-codec.js';

/** The OTLP services by their names under `opentelemetry.proto.collector.`. */
export type OtlpService =
  | 'trace.v1.TraceService'
  | 'metrics.v1.MetricsService'
  | 'logs.v1.LogsService';

/**
 * A signal's OTLP service (`trace.v1.TraceService` ->
 * `/opentelemetry.proto.collector.trace.v1.TraceService/Export`), answered with
 * partial_success. All the SDK exporters need, since they serialize each batch themselves.
 */
export function serviceCodec(signal: Signal, service: OtlpService): ServiceCodec {
  return {
    signal,
    path: `/opentelemetry.proto.collector.${service}/Export`,
    decodeResponse: decodePartialSuccess,
  };
}

/**
 * The codec of requests serialized up front, as the client queues them: counted and
 * sized as measured, encoded by concatenation (serialized OTLP export requests
 * concatenate into one valid request: their only field is repeated).
 */
export function encodedCodec(signal: Signal, service: OtlpService): SignalCodec<EncodedRequest> {
  return {
    ...serviceCodec(signal, service),
    count: (value) => value.count,
    size: (value) => value.bytes.length,
    encode: (values) => concatBytes(values.map((value) => value.bytes)),
  };
}
