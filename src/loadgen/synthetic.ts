import type { MessageInitShape } from '@bufbuild/protobuf';
import type { ExportLogsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import type { ExportMetricsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import type { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import type { KeyValueSchema } from '../../gen/opentelemetry/proto/common/v1/common_pb.js';
import type { LogRecordSchema } from '../../gen/opentelemetry/proto/logs/v1/logs_pb.js';
import type {
  HistogramDataPointSchema,
  MetricSchema,
  NumberDataPointSchema,
} from '../../gen/opentelemetry/proto/metrics/v1/metrics_pb.js';
import type { SpanSchema } from '../../gen/opentelemetry/proto/trace/v1/trace_pb.js';

type TraceInit = MessageInitShape<typeof ExportTraceServiceRequestSchema>;
type SpanInit = MessageInitShape<typeof SpanSchema>;
type LogInit = MessageInitShape<typeof LogRecordSchema>;
type MetricInit = MessageInitShape<typeof MetricSchema>;
type Attr = MessageInitShape<typeof KeyValueSchema>;
type MetricsInit = MessageInitShape<typeof ExportMetricsServiceRequestSchema>;
type LogsInit = MessageInitShape<typeof ExportLogsServiceRequestSchema>;

/**
 * A small seeded PRNG (xorshift32), so a load run is reproducible and ids are cheap to
 * make by the million.
 */
export function createRandom(seed = 0x9e3779b9): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

function randomId(random: () => number, length: number): Uint8Array {
  const id = new Uint8Array(length);
  for (let i = 0; i < length; i++) id[i] = (random() * 256) | 0;
  id[0] = id[0]! | 1; // never all-zero
  return id;
}

const str = (key: string, value: string): Attr => ({
  key,
  value: { value: { case: 'stringValue', value } },
});
const int = (key: string, value: number): Attr => ({
  key,
  value: { value: { case: 'intValue', value: BigInt(value) } },
});

const routes = ['/api/cart', '/api/checkout', '/api/products/{id}', '/api/users/{id}', '/health'];
const methods = ['GET', 'GET', 'GET', 'POST', 'PUT'];

function resource(service: string) {
  return {
    attributes: [
      str('service.name', service),
      str('service.version', '1.4.2'),
      str('deployment.environment.name', 'loadgen'),
      str('telemetry.sdk.language', 'webjs'),
      str('telemetry.sdk.name', 'opentelemetry'),
    ],
  };
}

const scope = { name: 'otlp-loadgen', version: '0.1.0' };

/**
 * One trace request of `count` spans shaped like real HTTP traffic: traces of a server
 * span with client and internal children, HTTP semantic-convention attributes, the odd
 * error status and exception event.
 */
export function syntheticTraces(count: number, random: () => number, nowNs: bigint): TraceInit {
  const spans: SpanInit[] = [];
  let traceId = randomId(random, 16);
  let rootId = randomId(random, 8);
  for (let i = 0; i < count; i++) {
    const root = i % 4 === 0;
    if (root) {
      traceId = randomId(random, 16);
      rootId = randomId(random, 8);
    }
    const route = routes[(random() * routes.length) | 0]!;
    const method = methods[(random() * methods.length) | 0]!;
    const failed = random() < 0.05;
    const start = nowNs - BigInt(((random() * 5e8) | 0) + 1e6);
    const duration = BigInt(((random() * 2e8) | 0) + 5e4);
    spans.push({
      traceId,
      spanId: root ? rootId : randomId(random, 8),
      parentSpanId: root ? new Uint8Array(0) : rootId,
      name: root
        ? `${method} ${route}`
        : i % 4 === 1
          ? `SELECT shop.${route.split('/')[2]}`
          : 'render',
      kind: root ? 2 : i % 4 === 1 ? 3 : 1,
      startTimeUnixNano: start,
      endTimeUnixNano: start + duration,
      flags: 0x101,
      attributes: root
        ? [
            str('http.request.method', method),
            str('http.route', route),
            str('url.path', route.replace('{id}', String((random() * 1e5) | 0))),
            int('http.response.status_code', failed ? 500 : 200),
            str('user_agent.original', 'Mozilla/5.0 (X11; Linux x86_64) Chrome/156.0'),
          ]
        : [
            str('db.system.name', 'postgresql'),
            int('db.response.returned_rows', (random() * 50) | 0),
          ],
      events: failed
        ? [
            {
              timeUnixNano: start + duration / 2n,
              name: 'exception',
              attributes: [
                str('exception.type', 'TimeoutError'),
                str('exception.message', 'upstream timed out'),
              ],
            },
          ]
        : [],
      status: failed ? { code: 2, message: 'upstream timed out' } : { code: 0 },
    });
  }
  return {
    resourceSpans: [{ resource: resource('shop-frontend'), scopeSpans: [{ scope, spans }] }],
  };
}

const levels = [
  [5, 'DEBUG'],
  [9, 'INFO'],
  [9, 'INFO'],
  [9, 'INFO'],
  [13, 'WARN'],
  [17, 'ERROR'],
] as const;

/** One logs request of `count` records across severities, half of them in a trace context. */
export function syntheticLogs(count: number, random: () => number, nowNs: bigint): LogsInit {
  const logRecords: LogInit[] = [];
  for (let i = 0; i < count; i++) {
    const [severityNumber, severityText] = levels[(random() * levels.length) | 0]!;
    const traced = random() < 0.5;
    logRecords.push({
      timeUnixNano: nowNs - BigInt(i * 1000),
      observedTimeUnixNano: nowNs,
      severityNumber,
      severityText,
      body: {
        value: { case: 'stringValue', value: `request ${i} handled in ${(random() * 300) | 0} ms` },
      },
      attributes: [
        str('code.function.name', 'handleRequest'),
        int('thread.id', (random() * 8) | 0),
      ],
      ...(traced ? { traceId: randomId(random, 16), spanId: randomId(random, 8), flags: 1 } : {}),
    });
  }
  return {
    resourceLogs: [{ resource: resource('shop-frontend'), scopeLogs: [{ scope, logRecords }] }],
  };
}

/**
 * One metrics request of `count` data points: a request counter (sum), a latency
 * histogram and a memory gauge, over a few attribute sets.
 */
export function syntheticMetrics(count: number, random: () => number, nowNs: bigint): MetricsInit {
  const startNs = nowNs - 60_000_000_000n;
  const attrs = (i: number) => [
    str('http.route', routes[i % routes.length]!),
    int('http.response.status_code', i % 7 === 0 ? 500 : 200),
  ];
  const sum: MessageInitShape<typeof NumberDataPointSchema>[] = [];
  const histogram: MessageInitShape<typeof HistogramDataPointSchema>[] = [];
  const gauge: MessageInitShape<typeof NumberDataPointSchema>[] = [];
  for (let i = 0; i < count; i++) {
    const kind = i % 3;
    if (kind === 0)
      sum.push({
        attributes: attrs(i),
        startTimeUnixNano: startNs,
        timeUnixNano: nowNs,
        value: { case: 'asInt', value: BigInt((random() * 1e4) | 0) },
      });
    else if (kind === 1) {
      const buckets = [0, 0, 0, 0, 0, 0].map(() => BigInt((random() * 40) | 0));
      const total = buckets.reduce((a, b) => a + b, 0n);
      histogram.push({
        attributes: attrs(i),
        startTimeUnixNano: startNs,
        timeUnixNano: nowNs,
        count: total,
        sum: Number(total) * 42.5,
        bucketCounts: buckets,
        explicitBounds: [5, 10, 25, 50, 100],
        min: 0.8,
        max: 480,
      });
    } else
      gauge.push({
        attributes: attrs(i),
        timeUnixNano: nowNs,
        value: { case: 'asDouble', value: random() * 512 },
      });
  }
  const metrics: MetricInit[] = [];
  if (sum.length)
    metrics.push({
      name: 'http.server.request.count',
      unit: '{request}',
      data: {
        case: 'sum',
        value: { dataPoints: sum, aggregationTemporality: 2, isMonotonic: true },
      },
    });
  if (histogram.length)
    metrics.push({
      name: 'http.server.request.duration',
      unit: 'ms',
      data: { case: 'histogram', value: { dataPoints: histogram, aggregationTemporality: 2 } },
    });
  if (gauge.length)
    metrics.push({
      name: 'process.memory.usage',
      unit: 'MiBy',
      data: { case: 'gauge', value: { dataPoints: gauge } },
    });
  return {
    resourceMetrics: [{ resource: resource('shop-frontend'), scopeMetrics: [{ scope, metrics }] }],
  };
}
