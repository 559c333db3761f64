// A minimal OTLP/HTTP trace sink for the browser benchmark (OpenTelemetry's exporters speak
// OTLP/HTTP, which this package's receiver does not serve): POST /v1/traces, protobuf or
// JSON, CORS for the page's origin. It decodes every request fully and counts its spans,
// so "arrived" is checked for OTel's exporters as the receiver checks it for ours.
import { createServer } from 'node:http';
import { fromBinary } from '@bufbuild/protobuf';
import { ExportTraceServiceRequestSchema } from '../../dist/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';

const countSpans = (resourceSpans) =>
  resourceSpans.reduce(
    (n, rs) => n + (rs.scopeSpans ?? []).reduce((m, ss) => m + (ss.spans ?? []).length, 0),
    0,
  );

/** Starts the sink on 127.0.0.1 (port 0); `spans` counts what arrived, `requests` the calls. */
export async function startOtlpHttpSink(origin) {
  const totals = { spans: 0, requests: 0, bytes: 0 };
  const cors = {
    'access-control-allow-origin': origin,
    'access-control-allow-methods': 'POST',
    'access-control-allow-headers': 'content-type',
    'access-control-max-age': '600',
  };
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') return res.writeHead(204, cors).end();
    if (req.method !== 'POST' || req.url !== '/v1/traces') return res.writeHead(404, cors).end();
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const json = (req.headers['content-type'] ?? '').includes('json');
      try {
        totals.spans += json
          ? countSpans(JSON.parse(body.toString('utf8')).resourceSpans ?? [])
          : countSpans(fromBinary(ExportTraceServiceRequestSchema, body).resourceSpans);
      } catch (error) {
        res.writeHead(400, { ...cors, 'content-type': 'text/plain' }).end(String(error));
        return;
      }
      totals.requests++;
      totals.bytes += body.length;
      res.writeHead(200, {
        ...cors,
        'content-type': json ? 'application/json' : 'application/x-protobuf',
      });
      res.end(json ? '{}' : '');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    totals,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
