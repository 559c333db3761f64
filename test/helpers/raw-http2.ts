import * as http2 from 'node:http2';

/** Paths of the three OTLP Export methods. */
export const EXPORT_PATHS = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
} as const;

/** One request sent byte for byte, for inputs a client library would refuse to produce. */
export interface RawRequest {
  path: string;
  /** @default 'POST' */
  method?: string;
  /** Extra headers; content-type defaults to application/grpc and te to trailers. */
  headers?: Record<string, string>;
  /** Body chunks, written in order. */
  body?: Uint8Array | Uint8Array[];
}

/** What came back: headers, trailers, body, and the gRPC status wherever it was sent. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  trailers: Record<string, string>;
  body: Uint8Array;
  /** grpc-status from trailers, or from headers (Trailers-Only); undefined if absent. */
  grpcStatus: number | undefined;
  grpcMessage: string | undefined;
  /** grpc-status-details-bin, base64, if sent. */
  statusDetails: string | undefined;
}

/** Frames `data` as one gRPC message with the given flags byte. */
export function envelope(data: Uint8Array, flags = 0, declaredLength = data.length): Uint8Array {
  const out = new Uint8Array(5 + data.length);
  new DataView(out.buffer).setUint32(1, declaredLength);
  out[0] = flags;
  out.set(data, 5);
  return out;
}

/** Sends one request on `session` and collects the full response. */
export function rawRequest(
  session: http2.ClientHttp2Session,
  request: RawRequest,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': request.method ?? 'POST',
      ':path': request.path,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...request.headers,
    });
    let headers: Record<string, string> = {};
    let trailers: Record<string, string> = {};
    let status = 0;
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      status = Number(h[':status']);
      headers = flatten(h);
    });
    stream.on('trailers', (t) => {
      trailers = flatten(t);
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', reject);
    stream.on('close', () => {
      if (status === 0) {
        reject(new Error(`stream closed without a response (rst code ${stream.rstCode})`));
        return;
      }
      const pick = (name: string) => trailers[name] ?? headers[name];
      const code = pick('grpc-status');
      const message = pick('grpc-message');
      resolve({
        status,
        headers,
        trailers,
        body: new Uint8Array(Buffer.concat(chunks)),
        grpcStatus: code === undefined ? undefined : Number(code),
        grpcMessage: message === undefined ? undefined : decodeURIComponent(message),
        statusDetails: pick('grpc-status-details-bin'),
      });
    });
    const body =
      request.body === undefined ? [] : Array.isArray(request.body) ? request.body : [request.body];
    for (const chunk of body) stream.write(chunk);
    stream.end();
  });
}

function flatten(h: http2.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** Opens an HTTP/2 session and waits until it is connected. */
export function connectSession(
  url: string,
  options: http2.SecureClientSessionOptions = {},
): Promise<http2.ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url, options);
    session.once('connect', () => {
      session.off('error', reject);
      resolve(session);
    });
    session.once('error', reject);
  });
}

/** Closes a session and waits for it to be gone. */
export function closeSession(session: http2.ClientHttp2Session): Promise<void> {
  if (session.closed || session.destroyed) return Promise.resolve();
  return new Promise((resolve) => session.close(() => resolve()));
}
