// The receiver's fast path (wire scan + lazy decode) must behave exactly like the full
// decode path: same acceptance of bytes, same rejections and messages, same stored items.
import { create, fromBinary, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExportLogsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { ListRequestSchema } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { encodeLogsExport, encodeTraceExport } from '../../src/encode/index.js';
import { scanRequest } from '../../src/receiver/item-scan.js';
import { createReceiverSinks } from '../../src/receiver/sinks.js';
import { logsRequest, traceRequest } from '../helpers/otlp-fixtures.js';
import { logs, spans } from './encode-arbitraries.js';

const id = (n: number, len: number) => new Uint8Array(len).fill(n);
const list = create(ListRequestSchema, { limit: 1000 });
const strip = <T>(x: T) =>
  JSON.parse(
    JSON.stringify(x, (_k, v) =>
      typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v,
    ),
  );

function both(signal: 'traces' | 'logs', bytes: Uint8Array) {
  const full = createReceiverSinks({ now: () => 1_700_000_000_000 });
  const fast = createReceiverSinks({ now: () => 1_700_000_000_000 });
  const a =
    signal === 'traces'
      ? full.ingestTraces(fromBinary(ExportTraceServiceRequestSchema, bytes), bytes.length)
      : full.ingestLogs(fromBinary(ExportLogsServiceRequestSchema, bytes), bytes.length);
  const b = fast.ingestScanned(scanRequest(signal, bytes), bytes.length);
  expect(b).toEqual(a);
  const items = (s: typeof full) =>
    strip(signal === 'traces' ? s.listSpans(list).spans : s.listLogs(list).logs);
  expect(items(fast)).toEqual(items(full));
  expect(strip(fast.stats(0))).toEqual(strip(full.stats(0)));
}

type TraceInit = MessageInitShape<typeof ExportTraceServiceRequestSchema>;
const traces = (init: TraceInit) =>
  toBinary(ExportTraceServiceRequestSchema, create(ExportTraceServiceRequestSchema, init));

describe('wire scan: the same outcome as a full decode', () => {
  it('stores the same spans and logs with the same origins', () => {
    both('traces', toBinary(ExportTraceServiceRequestSchema, traceRequest(20, { invalid: 3 })));
    both('logs', toBinary(ExportLogsServiceRequestSchema, logsRequest(20)));
  });

  it.each([
    ['short trace_id', id(1, 15), id(1, 8), new Uint8Array(0)],
    ['empty trace_id', new Uint8Array(0), id(1, 8), new Uint8Array(0)],
    ['zero trace_id', id(0, 16), id(1, 8), new Uint8Array(0)],
    ['zero short span_id', id(1, 16), id(0, 7), new Uint8Array(0)],
    ['zero span_id', id(1, 16), id(0, 8), new Uint8Array(0)],
    ['short parent', id(1, 16), id(1, 8), id(1, 3)],
    ['zero parent', id(1, 16), id(1, 8), id(0, 8)],
  ])('rejects a span with a %s like the decoder', (_name, traceId, spanId, parentSpanId) => {
    both(
      'traces',
      traces({
        resourceSpans: [
          {
            resource: {
              attributes: [{ key: 'k', value: { value: { case: 'intValue', value: 1n } } }],
            },
            scopeSpans: [
              {
                scope: { name: 'lib', version: '1' },
                spans: [
                  { name: 'good', traceId: id(2, 16), spanId: id(2, 8) },
                  { name: 'bad ✓', traceId, spanId, parentSpanId },
                ],
              },
            ],
          },
        ],
      }),
    );
  });

  it('rejects bad log contexts with the decoder messages, severity number labels included', () => {
    const bytes = toBinary(
      ExportLogsServiceRequestSchema,
      create(ExportLogsServiceRequestSchema, {
        resourceLogs: [
          {
            scopeLogs: [
              {
                logRecords: [
                  { severityText: 'INFO' },
                  { severityNumber: 17, spanId: id(3, 8) },
                  { severityNumber: -5 as never, traceId: id(3, 12) },
                  { severityText: 'E', traceId: id(0, 16) },
                ],
              },
            ],
          },
        ],
      }),
    );
    both('logs', bytes);
  });

  it('merges repeated resource and scope fields as protobuf does', () => {
    const r1 = traces({ resourceSpans: [{ resource: { attributes: [{ key: 'a' }] } }] });
    const r2 = traces({
      resourceSpans: [
        {
          resource: { droppedAttributesCount: 4 },
          scopeSpans: [
            { scope: { name: 'x' }, spans: [{ name: 's', traceId: id(1, 16), spanId: id(1, 8) }] },
          ],
        },
      ],
    });
    // Two ResourceSpans bodies joined into one: a ResourceSpans with two resource fields.
    const body = (b: Uint8Array) => b.subarray(2 + (b[1]! & 0x80 ? 1 : 0));
    const inner = new Uint8Array([...body(r1), ...body(r2)]);
    both('traces', new Uint8Array([0x0a, inner.length, ...inner]));
  });

  it('accepts and refuses arbitrary bytes exactly when fromBinary does, or refuses corrupt ones', () => {
    const valid = toBinary(ExportTraceServiceRequestSchema, traceRequest(3));
    fc.assert(
      fc.property(
        fc.nat(valid.length - 1),
        fc.integer({ min: 0, max: 255 }),
        fc.nat(valid.length),
        (at, byte, cut) => {
          const bytes = valid.slice(0, Math.max(cut, at + 1));
          bytes[at] = byte;
          let decoded = true;
          try {
            fromBinary(ExportTraceServiceRequestSchema, bytes);
          } catch {
            decoded = false;
          }
          let scanned = true;
          try {
            scanRequest('traces', bytes);
          } catch {
            scanned = false;
          }
          // Stricter only on corruption the decoder reads as garbage, never more lenient.
          if (!decoded) expect(scanned).toBe(false);
          if (scanned) both('traces', bytes);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });

  it('stores arbitrary SDK telemetry exactly as the full decode does', () => {
    const o = { wellFormed: false, extras: false };
    fc.assert(
      fc.property(spans(o), logs(o), (spanList, logList) => {
        both('traces', encodeTraceExport(spanList));
        both('logs', encodeLogsExport(logList));
      }),
      { seed: 5, numRuns: 100 },
    );
  });

  it('refuses invalid UTF-8 in strings, as fromBinary does', () => {
    const bytes = traces({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'éé' }] }] }] });
    const at = bytes.indexOf(0xc3);
    bytes[at] = 0xff;
    expect(() => fromBinary(ExportTraceServiceRequestSchema, bytes)).toThrow();
    expect(() => scanRequest('traces', bytes)).toThrow(/UTF-8/);
  });
});
