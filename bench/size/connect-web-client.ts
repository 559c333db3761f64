// Size fixture (d), for reference: a connect-web client of the generated TraceService.
import { createClient } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-web';
import { TraceService } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';

const client = createClient(
  TraceService,
  createGrpcWebTransport({ baseUrl: 'https://otlp.example.com' }),
);
void client.export({ resourceSpans: [] });
