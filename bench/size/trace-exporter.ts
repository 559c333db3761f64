// Size fixture (a): a browser app exporting traces with OTLPTraceExporter over gRPC-web,
// with retry (the pipeline default) and gzip, handed to the SDK's BatchSpanProcessor. The
// OTel SDK itself is external, and the app does nothing else, so the bundle is our code
// and its dependencies (what the budget counts) plus the one line that wires them in.
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '../../src/web/index.js';

export const processor = new BatchSpanProcessor(
  new OTLPTraceExporter({ url: 'https://otlp.example.com', compression: 'gzip' }),
);
