// Where the browser benchmark's exporters send: a backend gives a gRPC-web URL (ours) and
// an OTLP/HTTP URL (OpenTelemetry's) that both allow the page's origin, and counts the
// spans that arrived. The default runs here with nothing installed: Envoy in front of this
// package's receiver for gRPC-web, and bench/browser's OTLP/HTTP sink for OTel's
// exporters. BENCH_GRPC_WEB_URL + BENCH_OTLP_HTTP_URL point both at a running backend
// instead (e.g. Envoy -> an OpenTelemetry Collector, whose OTLP/HTTP receiver has CORS on);
// arrivals are not counted there.
import { startEnvoy } from '../../dist/src/envoy/index.js';
import { startReceiver } from '../../dist/src/receiver/index.js';
import { startOtlpHttpSink } from './otlp-http-sink.mjs';

/** Starts the backend for pages served from `origin`. */
export async function startBackend(origin) {
  const { BENCH_GRPC_WEB_URL: grpcWebUrl, BENCH_OTLP_HTTP_URL: httpUrl } = process.env;
  if (grpcWebUrl && httpUrl) {
    return {
      name: `${grpcWebUrl} (gRPC-web), ${httpUrl} (OTLP/HTTP)`,
      grpcWebUrl,
      httpUrl,
      arrived: () => undefined,
      close: async () => {},
    };
  }
  const receiver = await startReceiver({ port: 0, corsOrigins: [origin], maxStoredItems: 1000 });
  const envoy = await startEnvoy({
    port: 0,
    upstreams: [`127.0.0.1:${receiver.port}`],
    corsOrigins: [origin],
    install: !process.env.CI,
  });
  const sink = await startOtlpHttpSink(origin);
  return {
    name: 'Envoy -> otlp-receiver (gRPC-web); bench/browser OTLP/HTTP sink (OTel)',
    grpcWebUrl: envoy.url,
    httpUrl: sink.url,
    arrived: () => Number(receiver.stats().traces?.itemsAccepted ?? 0n) + sink.totals.spans,
    /** What the OTLP/HTTP sink took so far: { bytes, requests }. */
    sinkTotals: () => ({ bytes: sink.totals.bytes, requests: sink.totals.requests }),
    async close() {
      await envoy.stop();
      await receiver.close();
      await sink.close();
    },
  };
}
