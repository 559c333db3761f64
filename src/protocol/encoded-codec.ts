import { concatBytes } from '../core/concat-bytes.js';
import type { Signal, SignalCodec } from '../core/signal-codec.js';
import { decodePartialSuccess } from './partial-success.js';

/** A request (or part of one) serialized up front, with the items it holds. */
export interface Encoded {
  bytes: Uint8Array;
  /** Spans, metric data points or log records. */
  count: number;
}

/**
 * The codec of requests serialized up front, as the SDK exporters and the client queue
 * them: counted and sized as measured, encoded by concatenation (serialized OTLP export
 * requests concatenate into one valid request: their only field is repeated), answered
 * with partial_success, and sent to the signal's OTLP service:
 * `/opentelemetry.proto.collector.trace.v1.TraceService/Export` and the like.
 */
export function encodedCodec(signal: Signal): SignalCodec<Encoded> {
  // traces -> trace.v1.TraceService, metrics -> metrics.v1.MetricsService, logs -> ...
  const name = signal === 'traces' ? 'trace' : signal;
  return {
    signal,
    path: `/opentelemetry.proto.collector.${name}.v1.${name[0]!.toUpperCase()}${name.slice(1)}Service/Export`,
    count: (value) => value.count,
    size: (value) => value.bytes.length,
    encode: concatBytes,
    decodeResponse: decodePartialSuccess,
  };
}
