import { cors as connectCors } from '@connectrpc/connect';
import { GRPC_WEB_ALLOW_HEADERS, GRPC_WEB_EXPOSE_HEADERS } from '../../protocol/cors-headers.js';
import { type NodeRequest, type NodeResponse, requestHeader, respondEmpty } from './node-http.js';

/** Headers a browser may send: gRPC-web's (shared with the Envoy config) plus Connect's. */
const ALLOW_HEADERS = unique([
  ...GRPC_WEB_ALLOW_HEADERS,
  'connect-protocol-version',
  'connect-timeout-ms',
  ...connectCors.allowedHeaders,
]);

/** Response headers a script may read: without them a browser client sees no status. */
const EXPOSE_HEADERS = unique([...GRPC_WEB_EXPOSE_HEADERS, ...connectCors.exposedHeaders]);

/** How long a browser may cache a preflight answer, in seconds. */
const MAX_AGE_SECONDS = 7200;

/**
 * Cross-origin access for browsers talking to the receiver directly, without Envoy.
 * Headers are set on every response to an allowed origin, errors included, because a
 * browser hides the status of any response that lacks them.
 */
export interface Cors {
  /**
   * Adds CORS headers for an allowed origin. Returns true when the request was a preflight
   * and has been answered (204 when allowed, 403 otherwise), so nothing else may touch it.
   */
  handle(req: NodeRequest, res: NodeResponse): boolean;
}

/**
 * Creates the CORS policy for `origins`: exact origins such as `http://localhost:5173`,
 * or `*` for any origin. An empty list allows none.
 */
export function createCors(origins: readonly string[]): Cors {
  const any = origins.includes('*');
  const allowed = new Set(origins.map((o) => o.toLowerCase()));
  const isAllowed = (origin: string): boolean => any || allowed.has(origin.toLowerCase());
  return {
    handle(req, res) {
      const origin = requestHeader(req, 'origin');
      const preflight =
        req.method === 'OPTIONS' &&
        origin !== undefined &&
        requestHeader(req, 'access-control-request-method') !== undefined;
      const ok = origin !== undefined && isAllowed(origin);
      if (ok) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('vary', 'origin');
      }
      if (!preflight) {
        if (ok) res.setHeader('access-control-expose-headers', EXPOSE_HEADERS);
        return false;
      }
      if (ok) {
        res.setHeader('access-control-allow-methods', 'POST, GET');
        res.setHeader('access-control-allow-headers', ALLOW_HEADERS);
        res.setHeader('access-control-max-age', String(MAX_AGE_SECONDS));
      }
      respondEmpty(res, ok ? 204 : 403);
      return true;
    },
  };
}

function unique(names: readonly string[]): string {
  return [...new Set(names.map((n) => n.toLowerCase()))].join(', ');
}
