import { INTERNAL } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

/**
 * The values of field `n` of one protobuf message, in wire order: numbers for varints,
 * bytes (views, not copies) for length-delimited fields; fixed-width fields are skipped
 * (none of the messages the protocol reads has one), and an absent message (undefined)
 * has no fields. Just enough to decode the few small messages the protocol reads
 * (google.rpc.Status, Any, RetryInfo, Duration, partial_success), hand-written because
 * @bufbuild/protobuf's reader costs kilobytes of the browser bundle budget. Varints above
 * 2^53 lose precision; a negative int64 comes back as a value >= 2^63. Throws
 * OtlpError(Internal) on malformed input.
 */
export function fieldValues(
  buf: Uint8Array = new Uint8Array(0),
  n: number,
): (number | Uint8Array)[] {
  const values: (number | Uint8Array)[] = [];
  let pos = 0;
  // Callers read optional details (partial_success, RetryInfo) and drop what fails to parse,
  // so one message names the problem and where.
  const fail = (): never => {
    throw new OtlpError(`malformed protobuf at byte ${pos}`, INTERNAL);
  };
  const take = (size: number): number => {
    if (size > buf.length - pos) fail();
    pos += size;
    return pos - size;
  };
  const varint = (): number => {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      const b = buf[take(1)]!;
      value += (b & 127) * scale;
      if (b < 128) return value;
    }
  };
  while (pos < buf.length) {
    const tag = varint();
    const type = tag & 7;
    let value: number | Uint8Array | undefined;
    if (type === 0) value = varint();
    else if (type === 2) value = buf.subarray(take(varint()), pos);
    else take(type === 1 ? 8 : type === 5 ? 4 : fail());
    if (tag >>> 3 === n && value !== undefined) values.push(value);
  }
  return values;
}

/** The last length-delimited value of field `n` (protobuf: the last one wins). */
export function bytesField(buf: Uint8Array | undefined, n: number): Uint8Array | undefined {
  return fieldValues(buf, n)
    .filter((value) => typeof value !== 'number')
    .pop();
}

/** The last varint of field `n`, 0 when absent or negative (>= 2^63 on the wire). */
export function varintField(buf: Uint8Array | undefined, n: number): number {
  const value = fieldValues(buf, n)
    .filter((v) => typeof v === 'number')
    .pop();
  return value !== undefined && value < 2 ** 63 ? value : 0;
}
