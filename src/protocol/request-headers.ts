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
  request: TransportRequest,
  web: boolean,
  accept = 'identity',
): Record<string, string> {
  const { encoding, timeoutMs, headers: given } = request;
  const headers: Record<string, string> = {};
  for (const name in given) {
    const lower = name.toLowerCase();
    // grpc-* names are the protocol's own (the gRPC spec reserves them).
    if (!lower.startsWith('grpc-')) {
      headers[web && lower === 'user-agent' ? 'x-user-agent' : lower] = given[name]!;
    }
  }
  if (encoding && encoding !== 'identity') headers['grpc-encoding'] = encoding;
  if (Number.isFinite(timeoutMs)) headers['grpc-timeout'] = encodeTimeout(timeoutMs);
  return Object.assign(
    headers,
    {
      'grpc-accept-encoding': accept,
      'content-type': `application/grpc${web ? '-web' : ''}+proto`,
    },
    web ? { 'x-grpc-web': '1' } : { te: 'trailers' },
  );
}
