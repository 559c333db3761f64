import type { Compression } from '../core/compression.js';
import type { TransportRequest } from '../core/transport.js';
import { encodeTimeout } from './timeout.js';

/**
 * The request headers for a gRPC (web=false) or gRPC-web (web=true) export call.
 *
 * `accept` is the transport's `grpc-accept-encoding`, the encodings it can decode (see
 * `acceptEncoding`); grpc-go servers answer in the request's encoding regardless. On the web the user agent goes in `x-user-agent`,
 * since browsers drop a script-set User-Agent. `grpc-*` names in `request.headers` are
 * left out and the protocol's own headers win over the rest of the same name, because a
 * user header could not change them without breaking the call.
 */
export function requestHeaders(
  { encoding, timeoutMs, headers: given }: TransportRequest,
  web: boolean,
  accept = 'identity',
): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name in given) {
    const lower = name.toLowerCase();
    // grpc-* names are the protocol's own (the gRPC spec reserves them).
    if (!lower.startsWith('grpc-')) {
      headers[web && lower === 'user-agent' ? 'x-user-agent' : lower] = given[name]!;
    }
  }
  if (encoding !== 'identity') headers['grpc-encoding'] = encoding;
  if (Number.isFinite(timeoutMs)) headers['grpc-timeout'] = encodeTimeout(timeoutMs);
  headers['grpc-accept-encoding'] = accept;
  headers['content-type'] = `application/grpc${web ? '-web' : ''}+proto`;
  headers[web ? 'x-grpc-web' : 'te'] = web ? '1' : 'trailers';
  return headers;
}

/**
 * The encodings to advertise in `grpc-accept-encoding`: identity and every decoder's.
 * grpc-go servers (the OpenTelemetry Collector) ignore it and answer in the request's
 * encoding; others pick from it.
 */
export function acceptEncoding(decoders: readonly Compression[]): string {
  return ['identity', ...decoders.filter((d) => d.decompress).map((d) => d.name)].join(',');
}
