// Size fixture (a): a browser app exporting traces with OTLPTraceExporter over gRPC-web,
// with retry (the pipeline default) and gzip. The OTel SDK itself is external.
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter } from '../../src/otel/index.js';

const exporter = new OTLPTraceExporter({ url: 'https://otlp.example.com', compression: 'gzip' });
const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
provider.getTracer('app').startSpan('hello').end();
