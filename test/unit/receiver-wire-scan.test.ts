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

function both(signal: 'traces' | 'logs', bytes: Uint8Array, maxStoredItems = 10_000) {
  const full = createReceiverSinks({ now: () => 1_700_000_000_000, maxStoredItems });
  const fast = createReceiverSinks({ now: () => 1_700_000_000_000, maxStoredItems });
  const a =
    signal === 'traces'
      ? full.ingestTraces(fromBinary(ExportTraceServiceRequestSchema, bytes), bytes.length)
      : full.ingestLogs(fromBinary(ExportLogsServiceRequestSchema, bytes), bytes.length);
  const b = fast.ingestScanned(scanRequest(signal, bytes), bytes.length);
  expect(b).toEqual(a);
  const items = (s: typeof full) =>
    strip(signal === 'traces' ? s.listSpans(list).spans : s.listLogs(list).logs);
  expect(items(fast)).toEqual(items(full));
  // The trace filter reads each stored item's trace id from the request bytes.
  const ids =
    signal === 'traces'
      ? full.listSpans(list).spans.map((s) => s.span?.traceId)
      : full.listLogs(list).logs.map((s) => s.logRecord?.traceId);
  for (const traceId of [ids[0], ids.at(-1)]) {
    if (!traceId?.length) continue;
    const byTrace = create(ListRequestSchema, { traceIdHex: Buffer.from(traceId).toString('hex') });
    const found = (x: typeof full) =>
      strip(signal === 'traces' ? x.listSpans(byTrace).spans : x.listLogs(byTrace).logs);
    expect(found(fast)).toEqual(found(full));
    expect(found(fast).length).toBeGreaterThan(0);
  }
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

  it('stores the same items when most are rejected (their bytes copied out) or evicted', () => {
    // 5 valid spans among 30 invalid: the valid bytes are copied into a buffer of their own.
    const mostlyBad = toBinary(ExportTraceServiceRequestSchema, traceRequest(5, { invalid: 30 }));
    both('traces', mostlyBad);
    both('traces', mostlyBad, 3);
    both('traces', toBinary(ExportTraceServiceRequestSchema, traceRequest(20)), 7);
    both('logs', toBinary(ExportLogsServiceRequestSchema, logsRequest(20)), 1);
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

type AnyValueInit = NonNullable<
  NonNullable<NonNullable<TraceInit['resourceSpans']>[number]['resource']>['attributes']
>[number]['value'];

// A request at `offset` in a larger buffer of non-ASCII filler, `extra` bytes after it:
// the scan reads strings a word at a time from the whole underlying buffer.
function embedded(bytes: Uint8Array, offset: number, extra: number): Uint8Array {
  const whole = new Uint8Array(offset + bytes.length + extra).fill(0xff);
  whole.set(bytes, offset);
  return whole.subarray(offset, offset + bytes.length);
}

const anyValues: AnyValueInit[] = [
  { value: { case: 'stringValue', value: 'GET' } },
  { value: { case: 'stringValue', value: '' } },
  { value: { case: 'stringValue', value: 'x'.repeat(200) } },
  { value: { case: 'stringValue', value: 'héllo ✓ 日本' } },
  { value: { case: 'intValue', value: 443n } },
  { value: { case: 'intValue', value: -1n } },
  { value: { case: 'boolValue', value: true } },
  { value: { case: 'doubleValue', value: 0.25 } },
  { value: { case: 'bytesValue', value: id(0xff, 3) } },
  {
    value: { case: 'arrayValue', value: { values: [{ value: { case: 'intValue', value: 1n } }] } },
  },
  { value: { case: 'kvlistValue', value: { values: [{ key: 'in', value: {} }] } } },
  {},
];

describe('wire scan: attribute shortcut and word-at-a-time string checks', () => {
  it('takes attributes of every shape, anywhere, as the decoder does', () => {
    const attributes = anyValues.map((value, i) => ({ key: ['k', '', 'ключ'][i % 3]!, value }));
    const span = { name: 's', traceId: id(1, 16), spanId: id(1, 8), attributes };
    const bytes = traces({
      resourceSpans: [
        {
          resource: { attributes },
          scopeSpans: [
            {
              scope: { name: 'lib', attributes },
              spans: [
                { ...span, events: [{ name: 'e', attributes }] },
                { ...span, links: [{ traceId: id(2, 16), spanId: id(2, 8), attributes }] },
              ],
            },
          ],
        },
      ],
    });
    for (let offset = 0; offset < 4; offset++) both('traces', embedded(bytes, offset, offset));
  });

  it('takes KeyValue fields in any order and repeated, as the decoder does', () => {
    const key = [0x0a, 1, 0x6b];
    const value = [0x12, 3, 0x0a, 1, 0x76];
    for (const kv of [
      [...value, ...key],
      [...key, ...key, ...value],
      [...key, ...value, ...value],
    ]) {
      // ResourceSpans { resource { attributes [kv] } }
      const resource = [0x0a, kv.length, ...kv];
      const inner = [0x0a, resource.length, ...resource];
      both('traces', new Uint8Array([0x0a, inner.length, ...inner]));
    }
  });

  it.each([1, 3, 4, 5, 8, 9, 16, 17, 33, 127])(
    'refuses a non-ASCII byte anywhere in %i-byte names, keys and values unless it is UTF-8',
    (n) => {
      const make = (letter: string) =>
        traces({
          resourceSpans: [
            {
              scopeSpans: [
                {
                  spans: [
                    {
                      name: letter.repeat(n),
                      traceId: id(1, 16),
                      spanId: id(1, 8),
                      attributes: [
                        {
                          key: letter.repeat(n),
                          value: { value: { case: 'stringValue', value: letter.repeat(n) } },
                        },
                      ],
                    },
                  ],
                },
              ],
            },
          ],
        });
      const bytes = make('a');
      // The string bytes: where the same request with other letters differs.
      const other = make('b');
      const strings = [...bytes.keys()].filter((i) => bytes[i] !== other[i]);
      expect(strings).toHaveLength(3 * n);
      for (const at of strings) {
        const offset = at & 3;
        const bad = bytes.slice();
        bad[at] = 0xff;
        expect(() => fromBinary(ExportTraceServiceRequestSchema, bad)).toThrow();
        expect(() => scanRequest('traces', embedded(bad, offset, 3 - offset))).toThrow(/UTF-8/);
        // 'é' where two string bytes follow each other, else a broken sequence.
        const accented = bytes.slice();
        accented[at] = 0xc3;
        if (strings.includes(at + 1)) accented[at + 1] = 0xa9;
        const view = embedded(accented, offset, 3 - offset);
        if (strings.includes(at + 1)) both('traces', view);
        else {
          expect(() => fromBinary(ExportTraceServiceRequestSchema, accented)).toThrow();
          expect(() => scanRequest('traces', view)).toThrow(/UTF-8/);
        }
      }
    },
  );

  it('accepts nesting up to the recursion limit and refuses beyond it, as fromBinary does', () => {
    for (let n = 28; n <= 34; n++) {
      let value: AnyValueInit = { value: { case: 'stringValue', value: 'leaf' } };
      for (let i = 0; i < n; i++) {
        value = { value: { case: 'kvlistValue', value: { values: [{ key: 'k', value }] } } };
      }
      for (const init of [
        { resourceSpans: [{ resource: { attributes: [{ key: 'a', value }] } }] },
        { resourceSpans: [{ scopeSpans: [{ spans: [{ attributes: [{ key: 'a', value }] }] }] }] },
      ]) {
        const bytes = traces(init);
        let decoded = true;
        try {
          fromBinary(ExportTraceServiceRequestSchema, bytes);
        } catch {
          decoded = false;
        }
        let refusal = '';
        try {
          scanRequest('traces', bytes);
        } catch (e) {
          refusal = (e as Error).message;
        }
        // Refused exactly where fromBinary refuses, for the same reason.
        if (decoded) both('traces', bytes);
        else expect(refusal).toMatch(/recursion/);
        expect(refusal === '').toBe(decoded);
        if (n === 34) expect(refusal).toMatch(/recursion/);
      }
    }
  });
});
