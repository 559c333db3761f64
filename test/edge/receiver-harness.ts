// The OTLP receiver as the edge tests' backend, with a record of every call's protocol
// and grpc-encoding (from its debug log), and readers that flatten what it stored.
import { create } from '@bufbuild/protobuf';
import type { KeyValue } from '../../gen/opentelemetry/proto/common/v1/common_pb.js';
import type { LogRecord } from '../../gen/opentelemetry/proto/logs/v1/logs_pb.js';
import type { Metric } from '../../gen/opentelemetry/proto/metrics/v1/metrics_pb.js';
import type { Span } from '../../gen/opentelemetry/proto/trace/v1/trace_pb.js';
import { ListRequestSchema, type Origin } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { createLogger, type Receiver, startReceiver } from '../../src/receiver/index.js';

/** One Export call as the receiver logged it. */
export interface CallLine {
  service: string;
  protocol: string;
  encoding: string;
  status: string;
}

export interface TestReceiver {
  receiver: Receiver;
  url: string;
  calls: CallLine[];
  spans(): { span: Span; origin: Origin }[];
  logs(): { record: LogRecord; origin: Origin }[];
  metrics(): { metric: Metric; origin: Origin }[];
  close(): Promise<void>;
}

// "POST /opentelemetry.proto.collector.trace.v1.TraceService/Export grpc-web http/1.1 gzip body=..B -> OK in .."
const LINE =
  /POST \/opentelemetry\.proto\.collector\.(\w+)\.v1\.\w+\/Export (\S+) \S+ (\S+) .* -> (\w+) in/;

/** Starts the receiver on 127.0.0.1 (`port`, 0 for any). */
export async function startTestReceiver(port = 0): Promise<TestReceiver> {
  const calls: CallLine[] = [];
  const logger = createLogger({
    level: 'debug',
    write(line) {
      const match = LINE.exec(line);
      if (match) {
        calls.push({
          service: match[1]!,
          protocol: match[2]!,
          encoding: match[3]!,
          status: match[4]!,
        });
      }
    },
  });
  const receiver = await startReceiver({ host: '127.0.0.1', port, logger, shutdownGraceMs: 2000 });
  const all = create(ListRequestSchema, { limit: 100_000 });
  return {
    receiver,
    url: receiver.url,
    calls,
    spans: () =>
      receiver.sinks.listSpans(all).spans.map((s) => ({ span: s.span!, origin: s.origin! })),
    logs: () =>
      receiver.sinks.listLogs(all).logs.map((l) => ({ record: l.logRecord!, origin: l.origin! })),
    metrics: () =>
      receiver.sinks
        .listMetrics(all)
        .metrics.map((m) => ({ metric: m.metric!, origin: m.origin! })),
    close: () => receiver.close(),
  };
}

/** Attributes as a plain object: strings, numbers (ints as numbers), booleans. */
export function attrs(list: readonly KeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const kv of list ?? []) {
    const v = kv.value?.value;
    if (v === undefined) continue;
    out[kv.key] = v.case === 'intValue' ? Number(v.value) : v.value;
  }
  return out;
}

/** Lowercase hex of an id. */
export const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Polls `condition` every 20 ms until true; fails after 20 s naming `what`. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 20_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
