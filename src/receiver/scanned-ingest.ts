import { create, fromBinary, type Message } from '@bufbuild/protobuf';
import type { GenMessage } from '@bufbuild/protobuf/codegenv2';
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
 * the receiver's fast path when no JSONL file needs the whole request as JSON. Each item
 * is stored as a function decoding its bytes, its origin as one function per scope.
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
  // Stored bytes share the request's buffer when they are most of it; otherwise they are
  // copied, so a large request with little valid in it is not kept alive by a few items.
  const copy = validBytes * 2 < buf.length;
  // Trace ids: copies, or views made by the constructor (cheaper than subarray; one per item).
  const buffer = buf.buffer;
  const offset = buf.byteOffset;
  const idBytes = (start: number, end: number) =>
    copy ? buf.slice(start, end) : new Uint8Array(buffer, offset + start, end - start);
  let accepted = 0;
  for (const group of scan.groups) {
    if (group.from === group.to) continue;
    let origin: Origin | undefined;
    const resource = joined(buf, group.resource, copy);
    const scope = joined(buf, group.scope, copy);
    const makeOrigin = () => {
      origin ??= createOrigin(resource, scope, receivedNs);
      return origin;
    };
    for (let i = group.from; i < group.to; i++) {
      const b = i * ITEM_STRIDE;
      const problem = problems[i];
      if (problem) {
        c.reject(traces ? `span "${text(buf, items, b + 8)}"` : logLabel(buf, items, b), problem);
        continue;
      }
      accepted++;
      const start = items[b]!;
      const end = items[b + 1]!;
      const traceId = items[b + 2]! < 0 ? undefined : idBytes(items[b + 2]!, items[b + 3]!);
      if (traces) {
        const item = lazyDecode(SpanSchema, buf, start, end, copy);
        (ring as Ring<Span>).push(item, makeOrigin, traceId);
      } else {
        const item = lazyDecode(LogRecordSchema, buf, start, end, copy);
        (ring as Ring<LogRecord>).push(item, makeOrigin, traceId);
      }
    }
  }
  return { ...c.result(), accepted };
}

/**
 * A function decoding the item at buf[start, end). The bytes are copied now when `copy`
 * says so; otherwise the function keeps the request's buffer and takes its subarray only
 * when called: most stored items are evicted unread, and a subarray per item costs.
 */
function lazyDecode<T extends Message>(
  schema: GenMessage<T>,
  buf: Uint8Array,
  start: number,
  end: number,
  copy: boolean,
): () => T {
  if (copy) {
    const bytes = buf.slice(start, end);
    return () => fromBinary(schema, bytes);
  }
  return () => fromBinary(schema, buf.subarray(start, end));
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
