import { Code } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

/**
 * A minimal protobuf wire reader, just enough to decode the few small messages the
 * protocol reads (google.rpc.Status, RetryInfo, Duration, partial_success). Hand-written
 * because @bufbuild/protobuf's reader costs kilobytes of the browser bundle budget.
 * Every method throws OtlpError(Internal) on malformed input.
 */
export interface ProtoReader {
  /** True while bytes remain. */
  more(): boolean;
  /** The next field's tag: field number `>>> 3`, wire type `& 7`. */
  tag(): number;
  /**
   * A varint as a number. 64-bit values above 2^53 lose precision; a negative int32 or
   * int64 (ten bytes, two's complement) comes back as a value >= 2^63.
   */
  varint(): number;
  /** A length-delimited field's bytes (a view, not a copy). */
  bytes(): Uint8Array;
  /** Skips the value of a field of the given wire type. */
  skip(wireType: number): void;
}

/** Values at or above 2^63 are negative int32/int64 numbers on the wire. */
export const NEGATIVE_VARINT = 2 ** 63;

/** Creates a {@link ProtoReader} over `buf`. */
export function createProtoReader(buf: Uint8Array): ProtoReader {
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
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = buf[take(1)]!;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
    }
    return fail('varint longer than 10 bytes');
  };
  const bytes = (): Uint8Array => {
    const n = varint();
    const start = take(n);
    return buf.subarray(start, start + n);
  };
  return {
    more: () => pos < buf.length,
    tag: varint,
    varint,
    bytes,
    skip(wireType) {
      if (wireType === 0) varint();
      else if (wireType === 1) take(8);
      else if (wireType === 2) bytes();
      else if (wireType === 5) take(4);
      else fail(`unsupported wire type ${wireType}`);
    },
  };
}
