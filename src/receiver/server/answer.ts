import type * as http from 'node:http';
import type { ConnectError } from '@connectrpc/connect';
import { type Compression, encodeEnvelope } from '@connectrpc/connect/protocol';
import { codeToHttpStatus, errorToJsonBytes } from '@connectrpc/connect/protocol-connect';
import { setTrailerStatus } from '@connectrpc/connect/protocol-grpc';
import { trailerFlag, trailerSerialize } from '@connectrpc/connect/protocol-grpc-web';
import type { NodeResponse } from './node-http.js';
import type { RequestFormat } from './request-format.js';

/** How a call ends: a serialized response message, or an error. */
export type Outcome = { message: Uint8Array } | { error: ConnectError };

/** A response as it goes on the wire. */
interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array | undefined;
  trailers: Record<string, string> | undefined;
}

/** How to answer: the request's format, content-type, and the response compression. */
export interface AnswerOptions {
  format: RequestFormat;
  contentType: string;
  /** Compresses the response message, grpc-go's way: in the request's encoding. */
  compression: Compression | null;
  /** Request compressions accepted, advertised in grpc-accept-encoding. */
  accepted: readonly Compression[];
}

/**
 * Frames an outcome in the call's protocol. gRPC: message envelope and trailers, or an
 * error as Trailers-Only headers. gRPC-web: the status in a trailer frame at the end of
 * the body. Connect unary: the bare message, or an error as JSON with an HTTP status.
 */
export async function frame(outcome: Outcome, o: AnswerOptions): Promise<WireResponse> {
  const accept = o.accepted.map((c) => c.name).join(',');
  if (o.format.protocol === 'connect') {
    if ('error' in outcome) {
      return {
        status: codeToHttpStatus(outcome.error.code),
        headers: { 'content-type': 'application/json' },
        body: errorToJsonBytes(outcome.error, {}),
        trailers: undefined,
      };
    }
    return {
      status: 200,
      headers: { 'content-type': o.contentType },
      body: outcome.message,
      trailers: undefined,
    };
  }
  const headers: Record<string, string> = { 'content-type': o.contentType };
  if (accept !== '') headers['grpc-accept-encoding'] = accept;
  const status = Object.fromEntries(
    setTrailerStatus(new Headers(), 'error' in outcome ? outcome.error : undefined),
  );
  let body: Uint8Array | undefined;
  if ('message' in outcome) {
    let data = outcome.message;
    if (o.compression !== null) {
      data = await o.compression.compress(data);
      headers['grpc-encoding'] = o.compression.name;
    }
    body = encodeEnvelope(o.compression === null ? 0 : 1, data);
  }
  if (o.format.protocol === 'grpc') {
    if (body === undefined)
      return { status: 200, headers: { ...headers, ...status }, body, trailers: undefined };
    return { status: 200, headers, body, trailers: status };
  }
  const trailer = encodeEnvelope(trailerFlag, trailerSerialize(new Headers(status)));
  return {
    status: 200,
    headers,
    body: body === undefined ? trailer : concat(body, trailer),
    trailers: undefined,
  };
}

/** Writes a framed response. */
export function send(res: NodeResponse, wire: WireResponse): void {
  const r = res as http.ServerResponse;
  r.writeHead(wire.status, wire.headers);
  if (wire.trailers !== undefined) r.addTrailers(wire.trailers);
  r.end(wire.body);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a);
  out.set(b, a.byteLength);
  return out;
}
