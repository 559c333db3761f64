/**
 * The request headers a browser's gRPC-web exporter sends and a CORS policy must allow:
 * gRPC-web's own, the encodings (gzip from a browser needs them), and the two credential
 * headers. One list, so the Envoy config and the receiver can never disagree.
 */
export const GRPC_WEB_ALLOW_HEADERS: readonly string[] = [
  'content-type',
  'x-grpc-web',
  'x-user-agent',
  'grpc-timeout',
  'grpc-encoding',
  'grpc-accept-encoding',
  'authorization',
  'x-api-key',
];

/** The response headers a browser script must be able to read to learn the gRPC status. */
export const GRPC_WEB_EXPOSE_HEADERS: readonly string[] = [
  'grpc-status',
  'grpc-message',
  'grpc-status-details-bin',
  'grpc-encoding',
];
