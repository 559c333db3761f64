import { create, fromBinary } from '@bufbuild/protobuf';
import { InstrumentationScopeSchema } from '../../gen/opentelemetry/proto/common/v1/common_pb.js';
import { type LogRecord, LogRecordSchema } from '../../gen/opentelemetry/proto/logs/v1/logs_pb.js';
import { ResourceSchema } from '../../gen/opentelemetry/proto/resource/v1/resource_pb.js';
import { type Span, SpanSchema } from '../../gen/opentelemetry/proto/trace/v1/trace_pb.js';
import { type Origin, OriginSchema } from '../../gen/otlpgrpcweb/query/v1/query_pb.js';
import { concatBytes } from '../core/concat-bytes.js';
import { ITEM_STRIDE, type ScannedRequest } from './item-scan.js';
import type { Ring } from './store.js';
import { collector, type Rejections } from './validate.js';

/**
 * Stores the valid items of a scanned (not decoded) trace or logs request and rejects the
 * rest, with exactly the rules and messages of {@link filterTraces} / {@link filterLogs}:
 * the receiver's fast path when no JSONL file needs the whole request as JSON. The valid
 * items of each scope go into the ring as one run of offsets into the request, decoded
 * only when the query API returns them.
 */
export function ingestScanned(
  scan: ScannedRequest,
  ring: Ring<Span> | Ring<LogRecord>,
  receivedNs: bigint,
): Rejections & { accepted: number } {
  const traces = scan.signal === 'traces';
  const c = collector(traces ? 'spans' : 'log records');
  const buf = scan.payload;
  const items = scan.items;
  const problems: (string | undefined)[] = [];
  let validBytes = 0;
  for (let b = 0; b < items.length; b += ITEM_STRIDE) {
    const problem = traces ? spanProblem(buf, items, b) : logProblem(buf, items, b);
    problems.push(problem);
    if (!problem) validBytes += items[b + 1]! - items[b]!;
  }
  // Stored items share the request's buffer when they are most of it; otherwise their
  // bytes are copied, so a large request with little valid in it is not kept alive.
  const copy = validBytes * 2 < buf.length;
  const schema = traces ? SpanSchema : LogRecordSchema;
  let accepted = 0;
  for (const group of scan.groups) {
    // Offsets of the group's valid items: item, then trace id (-1 when absent).
    const at: number[] = [];
    for (let i = group.from; i < group.to; i++) {
      const b = i * ITEM_STRIDE;
      const problem = problems[i];
      if (problem) {
        c.reject(traces ? `span "${text(buf, items, b + 8)}"` : logLabel(buf, items, b), problem);
      } else at.push(items[b]!, items[b + 1]!, items[b + 2]!, items[b + 3]!);
    }
    if (at.length === 0) continue;
    accepted += at.length / 4;
    const resource = joined(buf, group.resource, copy);
    const scope = joined(buf, group.scope, copy);
    const bytes = copy ? compact(buf, at) : buf;
    const run = {
      count: at.length / 4,
      item: (i: number) => fromBinary(schema, bytes.subarray(at[4 * i]!, at[4 * i + 1]!)),
      origin: () => createOrigin(resource, scope, receivedNs),
      traceId: (i: number) =>
        at[4 * i + 2]! < 0 ? undefined : bytes.subarray(at[4 * i + 2]!, at[4 * i + 3]!),
    };
    (ring as Ring<Span | LogRecord>).push(run);
  }
  return { ...c.result(), accepted };
}

/**
 * Copies the items at `at` (4 offsets each, see {@link ingestScanned}) out of `buf` into
 * a buffer of their own, and rewrites `at` to point into it.
 */
function compact(buf: Uint8Array, at: number[]): Uint8Array {
  let size = 0;
  for (let k = 0; k < at.length; k += 4) size += at[k + 1]! - at[k]!;
  const out = new Uint8Array(size);
  let pos = 0;
  for (let k = 0; k < at.length; k += 4) {
    const start = at[k]!;
    const end = at[k + 1]!;
    const idStart = at[k + 2]!;
    out.set(buf.subarray(start, end), pos);
    // The trace id lies inside its item: it moves with it.
    if (idStart >= 0) {
      at[k + 2] = idStart - start + pos;
      at[k + 3] = at[k + 3]! - start + pos;
    }
    at[k] = pos;
    pos += end - start;
    at[k + 1] = pos;
  }
  return out;
}

function createOrigin(
  resource: Uint8Array | undefined,
  scope: Uint8Array | undefined,
  receivedNs: bigint,
): Origin {
  const origin = create(OriginSchema, { receivedUnixNano: receivedNs });
  if (resource) origin.resource = fromBinary(ResourceSchema, resource);
  if (scope) origin.scope = fromBinary(InstrumentationScopeSchema, scope);
  return origin;
}

// Several occurrences of a message field merge: decoding their concatenation does that.
function joined(buf: Uint8Array, ranges: readonly number[], copy: boolean): Uint8Array | undefined {
  if (ranges.length === 0) return undefined;
  if (ranges.length === 2) {
    return copy ? buf.slice(ranges[0]!, ranges[1]!) : buf.subarray(ranges[0]!, ranges[1]!);
  }
  const parts: { bytes: Uint8Array }[] = [];
  for (let i = 0; i < ranges.length; i += 2) {
    parts.push({ bytes: buf.subarray(ranges[i]!, ranges[i + 1]!) });
  }
  return concatBytes(parts);
}

const decoder = new TextDecoder();
const text = (buf: Uint8Array, items: readonly number[], at: number) =>
  items[at]! < 0 ? '' : decoder.decode(buf.subarray(items[at]!, items[at + 1]!));

// Length of a captured bytes field (0 when absent), or -1 when present but all zero.
function idLength(buf: Uint8Array, items: readonly number[], at: number): number {
  const start = items[at]!;
  if (start < 0) return 0;
  const end = items[at + 1]!;
  for (let i = start; i < end; i++) if (buf[i] !== 0) return end - start;
  return end === start ? 0 : -1;
}

// What filterTraces checks: trace_id 16 bytes, span_id 8, parent_span_id empty or 8;
// none all zero. An all-zero id of the wrong length reports its length first, as there.
function spanProblem(buf: Uint8Array, items: readonly number[], b: number): string | undefined {
  return (
    lengthFirst('trace_id', buf, items, b + 2, 16, false) ??
    lengthFirst('span_id', buf, items, b + 4, 8, false) ??
    lengthFirst('parent_span_id', buf, items, b + 6, 8, true)
  );
}

function logProblem(buf: Uint8Array, items: readonly number[], b: number): string | undefined {
  const problem =
    lengthFirst('trace_id', buf, items, b + 2, 16, true) ??
    lengthFirst('span_id', buf, items, b + 4, 8, true);
  if (problem) return problem;
  return idLength(buf, items, b + 4) !== 0 && idLength(buf, items, b + 2) === 0
    ? 'a span_id without a trace_id'
    : undefined;
}

function lengthFirst(
  name: string,
  buf: Uint8Array,
  items: readonly number[],
  at: number,
  want: number,
  optional: boolean,
): string | undefined {
  const start = items[at]!;
  const len = start < 0 ? 0 : items[at + 1]! - start;
  if (len === 0 && optional) return undefined;
  if (len !== want) return `${name} of ${len} bytes (want ${want})`;
  return idLength(buf, items, at) === -1 ? `all-zero ${name}` : undefined;
}

// filterLogs names a record by severity_text, else severity_number.
function logLabel(buf: Uint8Array, items: readonly number[], b: number): string {
  const severityText = text(buf, items, b + 6);
  if (severityText) return `log record "${severityText}"`;
  // An int32 enum: the low 32 bits of the varint, signed.
  let n = 0;
  const start = items[b + 8]!;
  for (let i = 0; start >= 0 && i < 5 && start + i < items[b + 9]!; i++) {
    n |= (buf[start + i]! & 0x7f) << (7 * i);
  }
  return `log record "${n | 0}"`;
}
