import type { DescMessage } from '@bufbuild/protobuf';
import { ExportLogsServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { type Cursor, checkUtf8, cursorOf, lengthEnd, scanFields, WireError } from './wire-scan.js';
import { readVarint } from './wire-scan-slow.js';
import { Kind, type ScanTable, scanTable, WIRE_OF_KIND, withStops } from './wire-scan-table.js';

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
  /** The request, ResourceX and ScopeX tables, stopping at the fields indexed here. */
  request: ScanTable;
  resourceX: ScanTable;
  scopeX: ScanTable;
  /** The Resource and InstrumentationScope tables. */
  resource: ScanTable;
  scope: ScanTable;
  /** The item table, stopping at the captured fields. */
  item: ScanTable;
  /** Per captured tag, its slot in the item's numbers (2, 4, 6, 8); 0 for other tags. */
  slots: Uint8Array;
}

let specs: Record<'traces' | 'logs', SignalSpec> | undefined;

function spec(signal: 'traces' | 'logs'): SignalSpec {
  specs ??= {
    traces: make(ExportTraceServiceRequestSchema, [1, 2, 4, 5]),
    logs: make(ExportLogsServiceRequestSchema, [9, 10, 3, 2]),
  };
  return specs[signal];
}

// The tables of a request whose ResourceX.ScopeX holds items (field 2), capturing the
// item fields `capture` (in slot order).
function make(request: DescMessage, capture: number[]): SignalSpec {
  const requestTable = scanTable(request);
  const resourceX = requestTable.subs[1]!;
  const scopeX = resourceX.subs[2]!;
  const item = scopeX.subs[2]!;
  const slots = new Uint8Array(128);
  const tags = capture.map((field, i) => {
    const tag = field * 8 + WIRE_OF_KIND[item.kinds[field]!]!;
    slots[tag] = 2 + 2 * i;
    return tag;
  });
  return {
    request: withStops(requestTable, [RESOURCE_X]),
    resourceX: withStops(resourceX, [FIRST, SECOND]),
    scopeX: withStops(scopeX, [FIRST, SECOND]),
    resource: resourceX.subs[1]!,
    scope: scopeX.subs[1]!,
    item: withStops(item, tags),
    slots,
  };
}

/** Tags of the length-delimited fields 1 and 2; the request's ResourceX are field 1. */
const FIRST = 0x0a;
const SECOND = 0x12;
const RESOURCE_X = FIRST;

/**
 * Validates and indexes a binary trace or logs export request. Throws a {@link WireError}
 * saying what is malformed, as `fromBinary` would throw.
 */
export function scanRequest(signal: 'traces' | 'logs', payload: Uint8Array): ScannedRequest {
  // Depths as fromBinary counts them: the request message is at depth 1.
  const s = spec(signal);
  const c = cursorOf(payload);
  const groups: ScannedGroup[] = [];
  const items: number[] = [];
  const end = payload.length;
  while (scanFields(s.request, c, end, 1) === RESOURCE_X) {
    // ResourceX: resource 1, repeated ScopeX 2, the rest scanned in between.
    const rEnd = lengthEnd(c, end);
    // Shared by every group of this ResourceX (filled in whatever the field order).
    const resource: number[] = [];
    for (
      let t = scanFields(s.resourceX, c, rEnd, 2);
      t !== -1;
      t = scanFields(s.resourceX, c, rEnd, 2)
    ) {
      if (t === SECOND) {
        groups.push(scanScope(s, c, lengthEnd(c, rEnd), resource, items));
      } else {
        captureMessage(s.resource, c, rEnd, 3, resource);
      }
    }
  }
  return { signal, payload, groups, items };
}

// Scans the message value at the cursor, recording where its encoding lies.
function captureMessage(table: ScanTable, c: Cursor, end: number, depth: number, out: number[]) {
  const valueEnd = lengthEnd(c, end);
  out.push(c.pos, valueEnd);
  scanFields(table, c, valueEnd, depth);
}

function scanScope(
  s: SignalSpec,
  c: Cursor,
  end: number,
  resource: number[],
  items: number[],
): ScannedGroup {
  const scope: number[] = [];
  const from = items.length / ITEM_STRIDE;
  for (let t = scanFields(s.scopeX, c, end, 3); t !== -1; t = scanFields(s.scopeX, c, end, 3)) {
    if (t === SECOND) scanItem(s, c, lengthEnd(c, end), items);
    else captureMessage(s.scope, c, end, 4, scope);
  }
  return { resource, scope, from, to: items.length / ITEM_STRIDE };
}

function scanItem(s: SignalSpec, c: Cursor, end: number, items: number[]): void {
  const base = items.length;
  items.push(c.pos, end, -1, -1, -1, -1, -1, -1, -1, -1);
  for (let t = scanFields(s.item, c, end, 4); t !== -1; t = scanFields(s.item, c, end, 4)) {
    const slot = base + s.slots[t]!;
    // The captured fields: ids (bytes), a name (a string), a severity number (a varint).
    if ((t & 7) === 2) {
      const valueEnd = lengthEnd(c, end);
      if (s.item.kinds[t >>> 3] === Kind.Utf8) checkUtf8(c, c.pos, valueEnd);
      items[slot] = c.pos;
      c.pos = valueEnd;
    } else {
      items[slot] = c.pos;
      readVarint(c, end);
    }
    items[slot + 1] = c.pos;
  }
}

export { WireError };
