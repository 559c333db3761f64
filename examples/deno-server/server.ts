// A Deno HTTP server exporting traces, metrics and logs over gRPC-web.
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4317 deno run --allow-net --allow-env server.ts
// Deno.serve has no waitUntil: background tasks stand in, drained before exit.
import {
  createBackgroundTasks,
  createEdgeMetrics,
  instrumentFetchHandler,
} from 'otlp-grpc-web/edge';
import { checkoutHandler } from '../shared/checkout.js';

declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request) => Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: 'SIGTERM' | 'SIGINT', handler: () => void): void;
  exit(code: number): never;
};

const env = Deno.env.toObject();
const serviceName = 'example-deno';
const handler = instrumentFetchHandler<Record<string, string>>(checkoutHandler('deno'), {
  serviceName,
  metrics: (bindings) => createEdgeMetrics(bindings, { serviceName }),
});
const tasks = createBackgroundTasks();
const hostname = env.HOST ?? '127.0.0.1';
const server = Deno.serve(
  {
    hostname,
    port: Number(env.PORT ?? 8000),
    onListen: ({ port }) => console.log(`listening on http://${hostname}:${port}/`),
  },
  (request) => handler(request, env, tasks),
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  Deno.addSignalListener(signal, async () => {
    await server.shutdown();
    await tasks.drain(); // the last requests' telemetry
    Deno.exit(0);
  });
}
