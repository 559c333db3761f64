import type { DescMessage } from '@bufbuild/protobuf';
import { ExportLogsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { LogRecordSchema } from '../../gen/opentelemetry/proto/logs/v1/logs_pb.js';
import { SpanSchema } from '../../gen/opentelemetry/proto/trace/v1/trace_pb.js';
import {
  type Cursor,
  checkUtf8,
  readLength,
  readTag,
  type ScanTable,
  scanField,
  scanTable,
  WireError,
} from './wire-scan.js';

/**
 * A trace or logs export request, validated on the wire (see wire-scan.ts) and indexed,
 * not decoded: where each resource, scope and item (span, log record) lies in the payload,
 * and where the item fields the receiver checks lie (ids, the name used in messages).
 * Both requests share the shape ResourceX { resource 1; repeated ScopeX 2 } and
 * ScopeX { scope 1; repeated item 2 }.
 */
export interface ScannedRequest {
  readonly signal: 'traces' | 'logs';
  readonly payload: Uint8Array;
  readonly groups: readonly ScannedGroup[];
  /**
   * Per item, {@link ITEM_STRIDE} numbers: the item's [start, end), then [start, end) of
   * each captured field's last occurrence (-1, -1 when absent), in the order of the
   * signal's capture list: traces trace_id, span_id, parent_span_id, name; logs trace_id,
   * span_id, severity_text, severity_number (the varint's bytes).
   */
  readonly items: readonly number[];
}

/** One ScopeX: its resource's and its scope's encodings, and its items. */
export interface ScannedGroup {
  /** [start, end) of every occurrence of ResourceX.resource (protobuf merges them). */
  readonly resource: readonly number[];
  /** The same for ScopeX.scope. */
  readonly scope: readonly number[];
  /** Items `from` (inclusive) to `to` (exclusive), indices into `items` / ITEM_STRIDE. */
  readonly from: number;
  readonly to: number;
}

/** Numbers per item in {@link ScannedRequest.items}. */
export const ITEM_STRIDE = 10;

interface SignalSpec {
  request: ScanTable;
  item: ScanTable;
  /** Field numbers captured, four of them. */
  capture: readonly number[];
  name: string;
}

let specs: Record<'traces' | 'logs', SignalSpec> | undefined;

function spec(signal: 'traces' | 'logs'): SignalSpec {
  specs ??= {
    traces: make(ExportTraceServiceRequestSchema, SpanSchema, [1, 2, 4, 5]),
    logs: make(ExportLogsServiceRequestSchema, LogRecordSchema, [9, 10, 3, 2]),
  };
  return specs[signal];
}

function make(request: DescMessage, item: DescMessage, capture: number[]): SignalSpec {
  return { request: scanTable(request), item: scanTable(item), capture, name: request.typeName };
}

/**
 * Validates and indexes a binary trace or logs export request. Throws a {@link WireError}
 * saying what is malformed, as `fromBinary` would throw.
 */
export function scanRequest(signal: 'traces' | 'logs', payload: Uint8Array): ScannedRequest {
  const s = spec(signal);
  const c: Cursor = { buf: payload, pos: 0 };
  const groups: ScannedGroup[] = [];
  const items: number[] = [];
  const end = payload.length;
  const resourceX = s.request.subs[1]!;
  const scopeX = resourceX.subs[2]!;
  while (c.pos < end) {
    const tag = readTag(c, end);
    if (tag !== 0x0a) {
      scanField(s.request, c, end, tag, 0);
      continue;
    }
    // ResourceX: resource 1, repeated ScopeX 2, the rest checked generically.
    const rEnd = readLength(c, end);
    // Shared by every group of this ResourceX (filled in whatever the field order).
    const resource: number[] = [];
    while (c.pos < rEnd) {
      const t = readTag(c, rEnd);
      if (t === 0x12) {
        groups.push(scanScope(s, scopeX, c, readLength(c, rEnd), resource, items));
      } else {
        if (t === 0x0a) capture(c, rEnd, resource);
        scanField(resourceX, c, rEnd, t, 1);
      }
    }
  }
  return { signal, payload, groups, items };
}

// Records where the length-delimited value at the cursor lies, without moving the cursor.
function capture(c: Cursor, end: number, out: number[]): void {
  const at = c.pos;
  const valueEnd = readLength(c, end);
  out.push(c.pos, valueEnd);
  c.pos = at;
}

function scanScope(
  s: SignalSpec,
  table: ScanTable,
  c: Cursor,
  end: number,
  resource: number[],
  items: number[],
): ScannedGroup {
  const scope: number[] = [];
  const from = items.length / ITEM_STRIDE;
  while (c.pos < end) {
    const t = readTag(c, end);
    if (t === 0x12) {
      scanItem(s, c, readLength(c, end), items);
    } else {
      if (t === 0x0a) capture(c, end, scope);
      scanField(table, c, end, t, 2);
    }
  }
  return { resource, scope, from, to: items.length / ITEM_STRIDE };
}

function scanItem(s: SignalSpec, c: Cursor, end: number, items: number[]): void {
  const base = items.length;
  items.push(c.pos, end, -1, -1, -1, -1, -1, -1, -1, -1);
  const [f0, f1, f2, f3] = s.capture as [number, number, number, number];
  while (c.pos < end) {
    const tag = readTag(c, end);
    const field = tag >>> 3;
    const slot = field === f0 ? 2 : field === f1 ? 4 : field === f2 ? 6 : field === f3 ? 8 : 0;
    if (slot === 0) {
      scanField(s.item, c, end, tag, 3);
      continue;
    }
    let start = c.pos;
    const kind = s.item.kinds[field];
    // A bytes (2) or string (3) field (ids, names) with the wire type the schema wants:
    // read in place; anything else through the generic check.
    if ((tag & 7) === 2 && (kind === 2 || kind === 3)) {
      const valueEnd = readLength(c, end);
      start = c.pos;
      if (kind === 3) checkUtf8(c.buf, start, valueEnd);
      c.pos = valueEnd;
    } else {
      scanField(s.item, c, end, tag, 3);
    }
    items[base + slot] = start;
    items[base + slot + 1] = c.pos;
  }
}

export { WireError };
