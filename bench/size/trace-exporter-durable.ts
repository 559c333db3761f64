// Size fixture (c): fixture (a) with the durable queue (IndexedDB) turned on: what the
// `durable` option costs an app that uses it. Fixture (a) shows it costs nothing unused.
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createDurableQueue } from '../../src/web/durable/index.js';
import { OTLPTraceExporter } from '../../src/web/otel-exporters.js';

export const processor = new BatchSpanProcessor(
  new OTLPTraceExporter({
    url: 'https://otlp.example.com',
    compression: 'gzip',
    durable: createDurableQueue({ name: 'my-app' }),
  }),
);
