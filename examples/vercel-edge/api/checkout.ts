// A Vercel Edge Function exporting traces, metrics and logs over gRPC-web. Vercel's edge
// runtime has no CompressionStream, so requests go uncompressed (identity) there.
// Set OTEL_EXPORTER_OTLP_ENDPOINT in the project's environment variables.
import { createEdgeMetrics, instrumentFetchHandler } from 'otlp-grpc-web/edge';
import { checkoutHandler } from '../../shared/checkout.js';

export const config = { runtime: 'edge' };

const serviceName = 'example-vercel-edge';
const handler = instrumentFetchHandler<Record<string, string | undefined>>(
  checkoutHandler('edge-runtime'),
  {
    serviceName,
    metrics: (env) => createEdgeMetrics(env, { serviceName }),
  },
);

/** Vercel calls this with the request and a context whose waitUntil outlives the response. */
export default function checkout(
  request: Request,
  context: { waitUntil(promise: Promise<unknown>): void },
): Promise<Response> {
  return handler(request, process.env, context);
}
