/** The three OTLP signals, named as in self-metrics and OTLP environment variables. */
export type Signal = 'traces' | 'metrics' | 'logs';

/**
 * How one signal's queued values are counted, sized and serialized. The pipeline treats
 * values as opaque, so the same batching, retry and accounting serve spans, data points
 * and log records, whether the values are SDK objects or requests serialized up front.
 * Built outside core (src/encode, src/client, src/otel).
 */
export interface SignalCodec<T> {
  readonly signal: Signal;
  /** gRPC method path, e.g. "/opentelemetry.proto.collector.trace.v1.TraceService/Export". */
  readonly path: string;
  /** Items (spans, log records, data points) in one queued value: the unit of every limit and count. */
  count(value: T): number;
  /** Encoded size estimate in bytes, checked against the queue and request byte limits. */
  size(value: T): number;
  /** Serializes values as one ExportXServiceRequest. */
  encode(values: T[]): Uint8Array;
  /** Reads partial_success from an ExportXServiceResponse; an empty body means all accepted. */
  decodeResponse(body: Uint8Array): { rejected: number; message: string };
}
