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
 * parsers so the receiver and connect never disagree about which protocol a request uses.
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
  /** Parses the protocol's timeout header; `error` is what connect will answer with. */
  parseTimeout(header: HeaderReader): { error?: ConnectError | undefined };
}

/**
 * The format of a request by its content-type, or undefined when no protocol serves it
 * as a unary call (then connect answers 415, as gRPC prescribes for a non-gRPC type).
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
      parseTimeout: (h) => grpc.parseTimeout(h.get(grpc.headerTimeout), Number.MAX_SAFE_INTEGER),
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
        grpcWeb.parseTimeout(h.get(grpcWeb.headerTimeout), Number.MAX_SAFE_INTEGER),
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
        connect.parseTimeout(h.get(connect.headerTimeout), Number.MAX_SAFE_INTEGER),
    };
  }
  return undefined;
}
