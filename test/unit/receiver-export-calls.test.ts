import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageShape } from '@bufbuild/protobuf';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { afterEach, describe, expect, it } from 'vitest';
import { ExportLogsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportMetricsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { ListRequestSchema } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { Code } from '../../src/core/code.js';
import { createExportCalls } from '../../src/receiver/calls/export-calls.js';
import type { Method } from '../../src/receiver/calls/method.js';
import { formatSummary } from '../../src/receiver/cli/summary.js';
import { createJsonlSink } from '../../src/receiver/store/jsonl-sink.js';
import { createStats } from '../../src/receiver/store/stats.js';
import { createTelemetryStore } from '../../src/receiver/store/telemetry-store.js';

/** The Export methods over a fresh store, called directly, with partial_success flattened. */
function createReceiverSinks(o: { maxStoredItems?: number; jsonlPath?: string } = {}) {
  const store = createTelemetryStore(
    { maxItems: o.maxStoredItems ?? 10_000, maxBytes: 1 << 30 },
    () => 0,
  );
  const stats = createStats(() => 0);
  const jsonl = o.jsonlPath ? createJsonlSink(o.jsonlPath, () => {}) : undefined;
  const [traces, metrics, logs] = createExportCalls({ store, stats, jsonl, exportDelayMs: 0 });
  const call = async (m: Method | undefined, request: object, messageBytes: number) => {
    const signal = new AbortController().signal;
    const r = (await m!.run(request as MessageShape<typeof ExportTraceServiceRequestSchema>, {
      signal,
      messageBytes,
      retainedBytes: messageBytes,
    })) as { partialSuccess?: Record<string, unknown> };
    const p = r.partialSuccess;
    if (p === undefined) return { rejected: 0, errorMessage: '' };
    const rejected = Object.entries(p).find(([k]) => k.startsWith('rejected'))?.[1];
    return { rejected: Number(rejected), errorMessage: p.errorMessage };
  };
  return {
    ingestTraces: (r: object, bytes: number) => call(traces, r, bytes),
    ingestMetrics: (r: object, bytes: number) => call(metrics, r, bytes),
    ingestLogs: (r: object, bytes: number) => call(logs, r, bytes),
    listSpans: store.listSpans,
    listLogs: store.listLogs,
    countError: stats.countError,
    stats: (inflight: number) => stats.snapshot(store.stored(), inflight),
    clear() {
      store.clear();
      stats.clear();
    },
    close: async () => jsonl?.close(),
  };
}

const id = (n: number, len: number) => new Uint8Array(len).fill(n);
const trace = (
  spans: NonNullable<MessageInitShape<typeof ExportTraceServiceRequestSchema>['resourceSpans']>,
) => create(ExportTraceServiceRequestSchema, { resourceSpans: spans });
const span = (
  name: string,
  traceId: Uint8Array,
  spanId: Uint8Array,
  parent = new Uint8Array(0),
) => ({
  name,
  traceId,
  spanId,
  parentSpanId: parent,
  kind: 2,
  startTimeUnixNano: 1_700_000_000_000_000_000n,
  endTimeUnixNano: 1_700_000_000_500_000_000n,
  status: { code: 2, message: 'boom' },
  attributes: [
    { key: 'http.route', value: { value: { case: 'stringValue' as const, value: '/x' } } },
  ],
});
const list = (init: MessageInitShape<typeof ListRequestSchema> = {}) =>
  create(ListRequestSchema, init);

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('validation and partial success', async () => {
  it.each([
    ['trace_id of 15 bytes (want 16)', span('a', id(1, 15), id(1, 8))],
    ['span_id of 7 bytes (want 8)', span('a', id(1, 16), id(1, 7))],
    ['all-zero trace_id', span('a', id(0, 16), id(1, 8))],
    ['all-zero span_id', span('a', id(1, 16), id(0, 8))],
    ['parent_span_id of 3 bytes (want 8)', span('a', id(1, 16), id(1, 8), id(1, 3))],
  ])('rejects a span with %s, keeps the rest', async (problem, bad) => {
    const sinks = createReceiverSinks();
    const result = await sinks.ingestTraces(
      trace([{ scopeSpans: [{ spans: [span('good', id(2, 16), id(2, 8)), bad] }] }]),
      100,
    );
    expect(result).toEqual({
      rejected: 1,
      errorMessage: `1 spans rejected: span "a" has ${problem}`,
    });
    expect(sinks.listSpans(list()).spans.map((s) => s.span?.name)).toEqual(['good']);
    expect(sinks.stats(0).traces).toMatchObject({
      requests: 1n,
      itemsAccepted: 1n,
      itemsRejected: 1n,
      bytes: 100n,
    });
  });

  it('accepts logs without context, rejects bad context', async () => {
    const sinks = createReceiverSinks();
    const request = create(ExportLogsServiceRequestSchema, {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  severityText: 'INFO',
                  body: { value: { case: 'stringValue', value: 'no context' } },
                },
                { severityText: 'WARN', traceId: id(3, 16), spanId: id(3, 8) },
                { severityText: 'ERROR', traceId: id(3, 12) },
                { severityText: 'FATAL', spanId: id(3, 8) },
              ],
            },
          ],
        },
      ],
    });
    expect(await sinks.ingestLogs(request, 10)).toEqual({
      rejected: 2,
      errorMessage: '2 log records rejected: log record "ERROR" has trace_id of 12 bytes (want 16)',
    });
    expect(sinks.listLogs(list()).logs.map((l) => l.logRecord?.severityText)).toEqual([
      'INFO',
      'WARN',
    ]);
  });

  it('counts metric data points and rejects unnamed metrics and bad exemplars', async () => {
    const sinks = createReceiverSinks();
    const request = create(ExportMetricsServiceRequestSchema, {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'c',
                  data: {
                    case: 'sum',
                    value: {
                      dataPoints: [
                        { value: { case: 'asInt', value: 1n } },
                        {
                          value: { case: 'asInt', value: 2n },
                          exemplars: [{ traceId: id(0, 16) }],
                        },
                      ],
                    },
                  },
                },
                { name: '', data: { case: 'gauge', value: { dataPoints: [{}, {}] } } },
                { name: 'h', data: { case: 'histogram', value: { dataPoints: [{ count: 3n }] } } },
              ],
            },
          ],
        },
      ],
    });
    expect(await sinks.ingestMetrics(request, 10)).toEqual({
      rejected: 3,
      errorMessage: '3 data points rejected: a data point of "c" has all-zero exemplar trace_id',
    });
    expect(sinks.stats(0).metrics).toMatchObject({ itemsAccepted: 2n, itemsRejected: 3n });
  });
});

describe('store', async () => {
  it('evicts the oldest, keeps seq, honours after_seq, limit and the trace filter', async () => {
    const sinks = createReceiverSinks({ maxStoredItems: 3 });
    for (let i = 1; i <= 5; i++)
      await sinks.ingestTraces(
        trace([{ scopeSpans: [{ spans: [span(`s${i}`, id(i, 16), id(i, 8))] }] }]),
        1,
      );
    const all = sinks.listSpans(list());
    expect(all.spans.map((s) => [s.seq, s.span?.name])).toEqual([
      [3n, 's3'],
      [4n, 's4'],
      [5n, 's5'],
    ]);
    expect(all.lastSeq).toBe(5n);
    expect(sinks.listSpans(list({ afterSeq: 4n })).spans.map((s) => s.span?.name)).toEqual(['s5']);
    expect(sinks.listSpans(list({ limit: 2 })).spans.map((s) => s.span?.name)).toEqual([
      's4',
      's5',
    ]);
    expect(
      sinks.listSpans(list({ traceIdHex: '04'.repeat(16) })).spans.map((s) => s.span?.name),
    ).toEqual(['s4']);
    expect(sinks.stats(0).traces?.itemsAccepted).toBe(5n);
    expect(sinks.stats(0).traces?.stored).toBe(3n);
  });

  it('counts errors by code name and clears', async () => {
    const sinks = createReceiverSinks();
    sinks.countError('logs', Code.Unauthenticated);
    sinks.countError('logs', Code.Unauthenticated);
    expect(sinks.stats(2)).toMatchObject({
      inflight: 2,
      logs: { requests: 2n, errorsByCode: { unauthenticated: 2n } },
    });
    expect(formatSummary(sinks.stats(0))).toMatch(
      /^otlp-receiver: traces 0 accepted\/0 rejected .* \| logs 0 accepted\/0 rejected \(2 req, 0.0 KiB, 2 failed\) \| inflight 0$/,
    );
    sinks.clear();
    expect(sinks.stats(0).logs?.requests).toBe(0n);
  });
});

describe('JSONL', async () => {
  it('writes one OTLP/JSON line per accepted request, like the Collector file exporter', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sinks-'));
    const path = join(dir, 'out.jsonl');
    const sinks = createReceiverSinks({ jsonlPath: path });
    await sinks.ingestTraces(
      trace([
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { value: { case: 'stringValue', value: 'svc' } } },
            ],
          },
          scopeSpans: [
            {
              scope: { name: 'lib' },
              spans: [
                span('good', id(0xab, 16), id(0xcd, 8), id(0xef, 8)),
                span('bad', id(0, 16), id(1, 8)),
              ],
            },
          ],
        },
      ]),
      1,
    );
    await sinks.ingestLogs(
      create(ExportLogsServiceRequestSchema, {
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  {
                    severityNumber: 9,
                    severityText: 'INFO',
                    traceId: id(0x11, 16),
                    spanId: id(0x22, 8),
                    timeUnixNano: 5n,
                  },
                ],
              },
            ],
          },
        ],
      }),
      1,
    );
    await sinks.ingestMetrics(
      create(ExportMetricsServiceRequestSchema, {
        resourceMetrics: [
          {
            scopeMetrics: [
              {
                metrics: [
                  {
                    name: 'c',
                    data: {
                      case: 'sum',
                      value: {
                        aggregationTemporality: 2,
                        isMonotonic: true,
                        dataPoints: [{ value: { case: 'asInt', value: 42n }, timeUnixNano: 7n }],
                      },
                    },
                  },
                ],
              },
            ],
          },
        ],
      }),
      1,
    );
    await sinks.close();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    const s = lines[0].resourceSpans[0];
    expect(s.resource.attributes[0]).toEqual({
      key: 'service.name',
      value: { stringValue: 'svc' },
    });
    expect(s.scopeSpans[0].scope).toEqual({ name: 'lib' });
    expect(s.scopeSpans[0].spans).toHaveLength(1);
    expect(s.scopeSpans[0].spans[0]).toEqual({
      traceId: 'ab'.repeat(16),
      spanId: 'cd'.repeat(8),
      parentSpanId: 'ef'.repeat(8),
      name: 'good',
      kind: 2,
      startTimeUnixNano: '1700000000000000000',
      endTimeUnixNano: '1700000000500000000',
      attributes: [{ key: 'http.route', value: { stringValue: '/x' } }],
      status: { code: 2, message: 'boom' },
    });
    expect(lines[1].resourceLogs[0].scopeLogs[0].logRecords[0]).toEqual({
      timeUnixNano: '5',
      severityNumber: 9,
      severityText: 'INFO',
      traceId: '11'.repeat(16),
      spanId: '22'.repeat(8),
    });
    expect(lines[2].resourceMetrics[0].scopeMetrics[0].metrics[0]).toEqual({
      name: 'c',
      sum: {
        aggregationTemporality: 2,
        isMonotonic: true,
        dataPoints: [{ asInt: '42', timeUnixNano: '7' }],
      },
    });
  });
});
