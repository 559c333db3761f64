import type { ConnectError } from '@connectrpc/connect';
import * as connect from '@connectrpc/connect/protocol-connect';
import * as grpc from '@connectrpc/connect/protocol-grpc';
import * as grpcWeb from '@connectrpc/connect/protocol-grpc-web';

/** Reads a request header: a Headers object, or a view of Node's headers. */
export type HeaderReader = Pick<Headers, 'get'>;

/** The RPC protocols served on the one port. */
export type WireProtocol = 'grpc' | 'grpc-web' | 'connect';

/**
 * How a unary request is framed and encoded, read from its headers with connect's own
 * parsers, so the receiver reads every protocol the way connect clients write it.
 */
export interface RequestFormat {
  protocol: WireProtocol;
  /** Protobuf binary (true) or protobuf JSON (false). */
  binary: boolean;
  /** gRPC and gRPC-web wrap the message in a 5-byte envelope; Connect unary sends it bare. */
  enveloped: boolean;
  /** The header naming the request compression. */
  encodingHeader: string;
  /** The header listing compressions the client accepts for the response. */
  acceptEncodingHeader: string;
  /**
   * The call's deadline from the protocol's timeout header, in ms (undefined: none), or
   * the error to answer a malformed header with.
   */
  parseTimeout(header: HeaderReader): { timeoutMs?: number; error?: ConnectError };
}

/**
 * The longest delay Node's timers take (2^31 - 1 ms, about 24.8 days): a longer one fires
 * after 1 ms. A deadline past it is as good as none, so it is clamped, not refused.
 */
export const MAX_TIMER_MS = 2_147_483_647;

function clamped(parsed: { timeoutMs?: number | undefined; error?: ConnectError | undefined }) {
  if (parsed.error !== undefined) return { error: parsed.error };
  if (parsed.timeoutMs === undefined) return {};
  return { timeoutMs: Math.min(parsed.timeoutMs, MAX_TIMER_MS) };
}

/**
 * The format of a request by its content-type, or undefined when no protocol serves it
 * as a unary call (answered 415, as gRPC prescribes for a non-gRPC type).
 */
export function detectFormat(contentType: string | null): RequestFormat | undefined {
  const g = grpc.parseContentType(contentType);
  if (g !== undefined) {
    return {
      protocol: 'grpc',
      binary: g.binary,
      enveloped: true,
      encodingHeader: grpc.headerEncoding,
      acceptEncodingHeader: grpc.headerAcceptEncoding,
      parseTimeout: (h) =>
        clamped(grpc.parseTimeout(h.get(grpc.headerTimeout), Number.MAX_SAFE_INTEGER)),
    };
  }
  const w = grpcWeb.parseContentType(contentType);
  if (w !== undefined && !w.text) {
    return {
      protocol: 'grpc-web',
      binary: w.binary,
      enveloped: true,
      encodingHeader: grpcWeb.headerEncoding,
      acceptEncodingHeader: grpcWeb.headerAcceptEncoding,
      parseTimeout: (h) =>
        clamped(grpcWeb.parseTimeout(h.get(grpcWeb.headerTimeout), Number.MAX_SAFE_INTEGER)),
    };
  }
  const c = connect.parseContentType(contentType);
  if (c !== undefined && !c.stream) {
    return {
      protocol: 'connect',
      binary: c.binary,
      enveloped: false,
      encodingHeader: connect.headerUnaryEncoding,
      acceptEncodingHeader: connect.headerUnaryAcceptEncoding,
      parseTimeout: (h) =>
        clamped(connect.parseTimeout(h.get(connect.headerTimeout), Number.MAX_SAFE_INTEGER)),
    };
  }
  return undefined;
}
