/** The three OTLP signals, named as in self-metrics and OTLP environment variables. */
export type Signal = 'traces' | 'metrics' | 'logs';

/**
 * A serialized request (or part of one), not yet compressed, with the items it holds: what
 * the core sends, what a batch becomes once encoded, what `exportEncoded` takes.
 */
export interface EncodedRequest {
  bytes: Uint8Array;
  /** Spans, metric data points or log records: the unit of every limit and count. */
  count: number;
}

/**
 * What the export core needs to know of a signal's OTLP service: where requests go and
 * how its answers read. Enough for callers that serialize requests themselves (the SDK
 * exporters), so their bundles carry no batching code.
 */
export interface ServiceCodec {
  readonly signal: Signal;
  /** gRPC method path, e.g. "/opentelemetry.proto.collector.trace.v1.TraceService/Export". */
  readonly path: string;
  /** Reads partial_success from an ExportXServiceResponse; an empty body means all accepted. */
  decodeResponse(body: Uint8Array): { rejected: number; message: string };
}

/**
 * How one signal's queued values are counted, sized and serialized. The pipeline treats
 * values as opaque, so the same batching, retry and accounting serve spans, data points
 * and log records, whether the values are SDK objects or requests serialized up front.
 * Built outside core (src/encode, src/client, src/otel).
 */
export interface SignalCodec<T> extends ServiceCodec {
  /** Items (spans, log records, data points) in one queued value: the unit of every limit and count. */
  count(value: T): number;
  /** EncodedRequest size estimate in bytes, checked against the queue and request byte limits. */
  size(value: T): number;
  /** Serializes values as one ExportXServiceRequest. */
  encode(values: T[]): Uint8Array;
}
