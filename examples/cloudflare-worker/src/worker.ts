// A Cloudflare Worker exporting its traces and logs over gRPC-web: every request gets a
// root span and its telemetry leaves once, after the response, inside ctx.waitUntil.
// Configured by bindings (wrangler.toml [vars], secrets), not process.env.
import { instrumentFetchHandler } from 'otlp-grpc-web/edge';
import { checkoutHandler } from '../../shared/checkout.js';

/** The bindings this Worker reads; see wrangler.toml. */
export interface Env {
  /** Envoy's gRPC-web listener, or the receiver itself, e.g. http://127.0.0.1:8080. */
  OTEL_EXPORTER_OTLP_ENDPOINT: string;
  /** Optional: "authorization=Bearer%20...", set with `wrangler secret put`. */
  OTEL_EXPORTER_OTLP_HEADERS?: string;
  /** Optional: export deadline in ms; must stay under the 30 s waitUntil budget. */
  OTEL_EXPORTER_OTLP_TIMEOUT?: string;
}

export default {
  fetch: instrumentFetchHandler<Env>(checkoutHandler('workerd'), {
    serviceName: 'example-worker',
    resourceAttributes: { 'cloud.provider': 'cloudflare', 'cloud.platform': 'cloudflare.workers' },
  }),
};
