import { INTERNAL } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

/**
 * The values of field `n` with wire type `type` (0: varint, as numbers; 2:
 * length-delimited, as views, not copies) of one protobuf message, in wire order; other
 * fields are skipped, and an absent message (undefined) has no fields. Just enough to
 * decode the few small messages the protocol reads (google.rpc.Status, Any, RetryInfo,
 * Duration, partial_success), hand-written because @bufbuild/protobuf's reader costs
 * kilobytes of the browser bundle budget. Varints above 2^53 lose precision; a negative
 * int64 comes back as a value >= 2^63. Throws OtlpError(Internal) on malformed input.
 */
export function fieldValues<T extends 0 | 2>(
  buf: Uint8Array = new Uint8Array(0),
  n: number,
  type: T,
): (T extends 0 ? number : Uint8Array)[] {
  const values: (number | Uint8Array)[] = [];
  let pos = 0;
  // Callers read optional details (partial_success, RetryInfo) and drop what fails to parse,
  // so one message names the problem and where.
  const fail = (): never => {
    throw new OtlpError(`malformed protobuf at byte ${pos}`, INTERNAL);
  };
  const varint = (): number => {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      if (pos >= buf.length) fail();
      const b = buf[pos++]!;
      value += (b & 127) * scale;
      if (b < 128) return value;
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const wire = tag & 7;
    // Wire types 1 (fixed64) and 5 (fixed32) have fixed sizes; 3 and 4 (groups) are not used.
    const size = wire === 2 ? varint() : wire === 1 ? 8 : wire === 5 ? 4 : wire ? fail() : 0;
    if (size > buf.length - pos) fail();
    const value = wire ? buf.subarray(pos, pos + size) : varint();
    pos += size;
    if (tag === n * 8 + type) values.push(value);
  }
  return values as (T extends 0 ? number : Uint8Array)[];
}

/** The last length-delimited value of field `n` (protobuf: the last one wins). */
export function bytesField(buf: Uint8Array | undefined, n: number): Uint8Array | undefined {
  return fieldValues(buf, n, 2).pop();
}

/** The last varint of field `n`, 0 when absent or negative (>= 2^63 on the wire). */
export function varintField(buf: Uint8Array | undefined, n: number): number {
  const value = fieldValues(buf, n, 0).pop() ?? 0;
  return value < 2 ** 63 ? value : 0;
}
