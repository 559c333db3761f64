import { Code } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

/**
 * One field of a protobuf message: its number and its value, a number for varints and
 * the bytes (a view, not a copy) for length-delimited fields. Fixed-width fields are
 * skipped: none of the messages the protocol reads has one.
 */
export type ProtoField = [field: number, value: number | Uint8Array];

/** Values at or above 2^63 are negative int32/int64 numbers on the wire. */
export const NEGATIVE_VARINT = 2 ** 63;

/**
 * A minimal protobuf wire reader, just enough to decode the few small messages the
 * protocol reads (google.rpc.Status, RetryInfo, Duration, partial_success): every field
 * of one message, in order. Hand-written because @bufbuild/protobuf's reader costs
 * kilobytes of the browser bundle budget. Varints above 2^53 lose precision; a negative
 * int64 comes back as a value >= 2^63. Throws OtlpError(Internal) on malformed input.
 */
export function readFields(buf: Uint8Array): ProtoField[] {
  const fields: ProtoField[] = [];
  let pos = 0;
  const fail = (what: string): never => {
    throw new OtlpError(`malformed protobuf: ${what} at byte ${pos}`, Code.Internal);
  };
  const take = (n: number): number => {
    if (n > buf.length - pos) fail(`${n} byte(s) needed, ${buf.length - pos} left`);
    pos += n;
    return pos - n;
  };
  const varint = (): number => {
    let value = 0;
    for (let i = 0, scale = 1; i < 10; i++, scale *= 128) {
      const b = buf[take(1)]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
    }
    return fail('varint longer than 10 bytes');
  };
  while (pos < buf.length) {
    const tag = varint();
    const type = tag & 7;
    if (type === 0) fields.push([tag >>> 3, varint()]);
    else if (type === 2) {
      const n = varint();
      const start = take(n);
      fields.push([tag >>> 3, buf.subarray(start, start + n)]);
    } else if (type === 1 || type === 5) take(type === 1 ? 8 : 4);
    else fail(`unsupported wire type ${type}`);
  }
  return fields;
}

/** The length-delimited values of field `n` (a message's repeated sub-messages). */
export function bytesOf(fields: ProtoField[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const [field, value] of fields)
    if (field === n && typeof value !== 'number') out.push(value);
  return out;
}

/** The last varint of field `n` (protobuf: the last one wins), 0 when absent or negative. */
export function varintOf(fields: ProtoField[], n: number): number {
  let out = 0;
  for (const [field, value] of fields) {
    if (field === n && typeof value === 'number') out = value < NEGATIVE_VARINT ? value : 0;
  }
  return out;
}
