import type { Code } from './code.js';

/**
 * One export call, as the pipeline hands it to a transport. The body is already
 * encoded and compressed; the transport adds only framing and headers.
 */
export interface TransportRequest {
  /** Base URL of the endpoint, e.g. "http://127.0.0.1:4317" (no trailing slash needed). */
  url: string;
  /** gRPC method path, e.g. "/opentelemetry.proto.collector.trace.v1.TraceService/Export". */
  path: string;
  /** The serialized request message, compressed with `encoding` unless that is "identity". */
  body: Uint8Array;
  /** The `grpc-encoding` of `body`: "identity", "gzip", "zstd". */
  encoding: string;
  /** Extra request metadata: auth, user-agent, custom headers. Lowercase names. */
  headers: Record<string, string>;
  /**
   * Time left for this attempt, in milliseconds. The transport sends it as
   * `grpc-timeout` and aborts the call locally when it runs out (DEADLINE_EXCEEDED).
   */
  timeoutMs: number;
  /** Browsers: send with `keepalive` so the request survives page unload. */
  keepalive?: boolean;
}

/**
 * The outcome of one export call, the same shape from every transport, so nothing above
 * the transport knows which one ran. Transports never throw for a failed call: network
 * errors, HTTP errors from proxies and gRPC errors all become a status here.
 */
export interface TransportResult {
  /** gRPC status; Code.Ok when the server accepted the request. */
  code: Code;
  /** grpc-message (percent-decoded), or a description of the local failure. */
  message: string;
  /** The serialized response message (ExportXServiceResponse) when code is Ok. */
  body?: Uint8Array;
  /**
   * Why the OK response message could not be read (compressed in an encoding this
   * runtime cannot decode, corrupt): the items are delivered, their partial_success unknown.
   */
  responseUnread?: string;
  /** google.rpc.RetryInfo.retry_delay from grpc-status-details-bin, in milliseconds. */
  retryDelayMs?: number;
  /**
   * The encodings the server accepts (`grpc-accept-encoding`), when it said: after an
   * UNIMPLEMENTED for our `grpc-encoding`, the export core resends with one of these.
   */
  acceptEncoding?: string[];
  /** The HTTP status, when there was an HTTP response at all. */
  httpStatus?: number;
}

/** Moves one encoded request to a server and reports the status. */
export interface Transport {
  /** "grpc" or "grpc-web", for self-metrics and messages. */
  readonly name: string;
  send(request: TransportRequest): Promise<TransportResult>;
  /**
   * Resolves when the next request may be encoded. A transport whose writes leave only
   * once the event loop turns (node:http2 flushes in the check phase) lets one encode
   * through per turn, so a flush of many batches puts the first on the wire after one
   * encode instead of after all of them. Absent: encode at once.
   */
  turn?(): Promise<void>;
  /** Releases connections (HTTP/2 sessions), so a Node process can exit. */
  close(): Promise<void>;
}
