import type { TransportRequest } from '../core/transport.js';
import { encodeTimeout } from './timeout.js';

/**
 * The request headers for a gRPC (web=false) or gRPC-web (web=true) export call.
 *
 * We advertise `grpc-accept-encoding: identity` because export responses are tiny and
 * the client carries no decompressor. On the web the user agent goes in `x-user-agent`,
 * since browsers drop a script-set User-Agent. The protocol's own headers win over
 * `request.headers` of the same name, because a user header could not change them
 * without breaking the call.
 */
export function requestHeaders(request: TransportRequest, web: boolean): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    headers[web && lower === 'user-agent' ? 'x-user-agent' : lower] = value;
  }
  if (web) {
    headers['content-type'] = 'application/grpc-web+proto';
    headers['x-grpc-web'] = '1';
  } else {
    headers['content-type'] = 'application/grpc+proto';
    headers.te = 'trailers';
  }
  if (request.encoding && request.encoding !== 'identity') {
    headers['grpc-encoding'] = request.encoding;
  } else {
    delete headers['grpc-encoding'];
  }
  headers['grpc-accept-encoding'] = 'identity';
  if (Number.isFinite(request.timeoutMs))
    headers['grpc-timeout'] = encodeTimeout(request.timeoutMs);
  else delete headers['grpc-timeout'];
  return headers;
}
