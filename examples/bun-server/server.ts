// A Bun HTTP server exporting traces, metrics and logs over gRPC-web.
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317 bun server.ts
// Bun's CompressionStream also does zstd: OTEL_EXPORTER_OTLP_COMPRESSION=zstd uses it, for
// backends that accept it (the OpenTelemetry Collector does; this repo's receiver on Node
// 20 answers UNIMPLEMENTED, so keep gzip for it).
import {
  createBackgroundTasks,
  createEdgeMetrics,
  instrumentFetchHandler,
} from 'otlp-grpc-web/edge';
import { checkoutHandler } from '../shared/checkout.js';

declare const Bun: {
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request) => Promise<Response>;
  }): { url: URL; stop(): Promise<void> };
};

const env = process.env;
const serviceName = 'example-bun';
const handler = instrumentFetchHandler<NodeJS.ProcessEnv>(checkoutHandler('bun'), {
  serviceName,
  metrics: (bindings) => createEdgeMetrics(bindings, { serviceName }),
});
const tasks = createBackgroundTasks();
const server = Bun.serve({
  hostname: env.HOST ?? '127.0.0.1',
  port: Number(env.PORT ?? 3000),
  fetch: (request) => handler(request, env, tasks),
});
console.log(`listening on ${server.url.href}`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    await server.stop();
    await tasks.drain(); // the last requests' telemetry
    process.exit(0);
  });
}
