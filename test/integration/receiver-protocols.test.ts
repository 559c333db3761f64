import { toBinary } from '@bufbuild/protobuf';
import { createClient, type Transport } from '@connectrpc/connect';
import {
  compressionGzip,
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
  Http2SessionManager,
} from '@connectrpc/connect-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ExportLogsServiceRequestSchema,
  LogsService,
} from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import {
  ExportMetricsServiceRequestSchema,
  MetricsService,
} from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import {
  ExportTraceServiceRequestSchema,
  TraceService,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { QueryService } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { createLogger, type Receiver, startReceiver } from '../../src/receiver/index.js';
import { logsRequest, metricsRequest, traceRequest } from '../helpers/otlp-fixtures.js';

let receiver: Receiver;
const managers: Http2SessionManager[] = [];
const logLines: string[] = [];

beforeAll(async () => {
  receiver = await startReceiver({
    port: 0,
    logger: createLogger({ level: 'debug', write: (line) => logLines.push(line) }),
  });
});
afterEach(() => {
  for (const m of managers.splice(0)) m.abort();
  receiver.sinks.clear();
  logLines.length = 0;
});
afterAll(async () => {
  await receiver.close();
});

type Kind =
  | 'grpc'
  | 'grpc-web'
  | 'connect'
  | 'grpc-web http/1.1'
  | 'connect http/1.1'
  | 'connect json';

function transport(kind: Kind, gzip: boolean): Transport {
  const common = {
    baseUrl: receiver.url,
    // Compress even the smallest message, so the gzip path is really taken.
    ...(gzip ? { sendCompression: compressionGzip, compressMinBytes: 1 } : {}),
  };
  const http2 = () => {
    const sessionManager = new Http2SessionManager(receiver.url);
    managers.push(sessionManager);
    return { httpVersion: '2' as const, sessionManager };
  };
  switch (kind) {
    case 'grpc':
      return createGrpcTransport({ ...common, ...http2() });
    case 'grpc-web':
      return createGrpcWebTransport({ ...common, ...http2() });
    case 'connect':
      return createConnectTransport({ ...common, ...http2() });
    case 'grpc-web http/1.1':
      return createGrpcWebTransport({ ...common, httpVersion: '1.1' });
    case 'connect http/1.1':
      return createConnectTransport({ ...common, httpVersion: '1.1' });
    case 'connect json':
      return createConnectTransport({ ...common, ...http2(), useBinaryFormat: false });
  }
}

const kinds: Kind[] = [
  'grpc',
  'grpc-web',
  'connect',
  'grpc-web http/1.1',
  'connect http/1.1',
  'connect json',
];
const cases = kinds.flatMap((kind) => [false, true].map((gzip) => ({ kind, gzip })));

describe.each(cases)('$kind, gzip=$gzip', ({ kind, gzip }) => {
  it('stores spans, data points and log records of all three signals', async () => {
    const t = transport(kind, gzip);
    const traces = traceRequest(3, { name: `${kind}-${gzip}` });
    const metrics = metricsRequest(4);
    const logs = logsRequest(5);

    const tr = await createClient(TraceService, t).export(traces);
    const mr = await createClient(MetricsService, t).export(metrics);
    const lr = await createClient(LogsService, t).export(logs);
    expect(tr.partialSuccess).toBeUndefined();
    expect(mr.partialSuccess).toBeUndefined();
    expect(lr.partialSuccess).toBeUndefined();

    const stats = receiver.stats();
    expect(stats.traces?.itemsAccepted).toBe(3n);
    expect(stats.metrics?.itemsAccepted).toBe(4n);
    expect(stats.logs?.itemsAccepted).toBe(5n);
    expect(stats.traces?.requests).toBe(1n);
    if (kind !== 'connect json') {
      // Bytes are counted after decompression: exactly the serialized requests.
      expect(stats.traces?.bytes).toBe(
        BigInt(toBinary(ExportTraceServiceRequestSchema, traces).length),
      );
      expect(stats.metrics?.bytes).toBe(
        BigInt(toBinary(ExportMetricsServiceRequestSchema, metrics).length),
      );
      expect(stats.logs?.bytes).toBe(BigInt(toBinary(ExportLogsServiceRequestSchema, logs).length));
    }
    const spans = receiver.sinks.listSpans({
      afterSeq: 0n,
      limit: 0,
      traceIdHex: '',
    } as never).spans;
    expect(spans.map((s) => s.span?.name)).toEqual(
      traces.resourceSpans[0]!.scopeSpans[0]!.spans.map((s) => s.name),
    );

    // The debug log names the protocol, HTTP version and request encoding of each call.
    const exportLines = logLines.filter((l) => l.includes('/Export '));
    expect(exportLines).toHaveLength(3);
    const protocol = kind.split(' ')[0];
    const httpVersion = kind.includes('1.1') ? 'http/1.1' : 'http/2.0';
    for (const line of exportLines) {
      expect(line).toContain(` ${protocol} ${httpVersion} ${gzip ? 'gzip' : 'identity'} `);
      expect(line).toContain('-> ok');
    }

    // The query service answers on the same port, in the same protocol.
    const queried = await createClient(QueryService, t).getStats({});
    expect(queried.logs?.itemsAccepted).toBe(5n);
  });
});

describe('large messages', () => {
  it.each(['grpc', 'connect http/1.1', 'grpc-web http/1.1'] as const)(
    'accepts a 3 MiB request over %s',
    async (kind) => {
      const request = traceRequest(3, { padding: 1024 * 1024 });
      await createClient(TraceService, transport(kind, false)).export(request);
      expect(receiver.stats().traces?.itemsAccepted).toBe(3n);
    },
  );
});
