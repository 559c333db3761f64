/**
 * A minimal protobuf wire writer: exactly the operations the OTLP encoders need, as free
 * functions over a plain state object so that a minifier can shorten every name (methods
 * keep theirs) and a bundle pays only for what it calls. @bufbuild/protobuf's BinaryWriter
 * costs about 2 KB gzip because its unused int64 methods cannot be tree-shaken.
 *
 * Length-delimited fields are written forward with {@link fork} / {@link join}: fork
 * reserves one byte for the length, join writes it and, when the length needs more bytes,
 * moves the body up. One pass over the data, no size-estimation pass, no allocation per
 * nested message (bench/encode-bench.ts compares this with an exact two-pass sizing).
 * Output is canonical protobuf: minimal varints, so it can be compared byte for byte.
 */
export interface Writer {
  buf: Uint8Array;
  pos: number;
  /** A DataView over `buf`, for doubles. */
  view: DataView;
}

/** Creates a writer with room for `capacity` bytes; it grows by doubling when needed. */
export function createWriter(capacity: number): Writer {
  const buf = new Uint8Array(capacity);
  return { buf, pos: 0, view: new DataView(buf.buffer) };
}

/** The bytes written so far (a view, not a copy). */
export function finish(w: Writer): Uint8Array {
  return w.buf.subarray(0, w.pos);
}

/** Makes room for `n` more bytes. */
export function ensure(w: Writer, n: number): void {
  if (w.pos + n <= w.buf.length) return;
  const buf = new Uint8Array(Math.max(w.buf.length * 2, w.pos + n));
  buf.set(w.buf.subarray(0, w.pos));
  w.buf = buf;
  w.view = new DataView(buf.buffer);
}

/**
 * Writes a varint. Integers are exact as far as the number is; negative integers (int64
 * attribute values) get the ten-byte two's complement form.
 */
export function varint(w: Writer, v: number): void {
  ensure(w, 10);
  const buf = w.buf;
  let pos = w.pos;
  // The 64-bit two's complement halves, for either sign: ToUint32 is arithmetic mod 2^32.
  let lo = v >>> 0;
  let hi = Math.floor(v / 0x100000000) >>> 0;
  while (hi > 0 || lo > 0x7f) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[pos++] = lo;
  w.pos = pos;
}

/** Writes a field key: field number and wire type (0 varint, 1 i64, 2 len, 5 i32). */
export function tag(w: Writer, field: number, wireType: number): void {
  const v = (field << 3) | wireType;
  if (v > 0x7f) {
    varint(w, v);
    return;
  }
  ensure(w, 1);
  w.buf[w.pos++] = v;
}

/** Writes a varint field (uint32, uint64, int64, enum, bool). */
export function uintField(w: Writer, field: number, v: number): void {
  tag(w, field, 0);
  varint(w, v);
}

/** Writes a fixed32 field: a little-endian 32-bit unsigned integer. */
export function fixed32Field(w: Writer, field: number, v: number): void {
  tag(w, field, 5);
  ensure(w, 4);
  w.view.setUint32(w.pos, v, true);
  w.pos += 4;
}

/** Writes a 64-bit integer given as two unsigned 32-bit halves (fixed64, sfixed64). */
export function fixed64(w: Writer, lo: number, hi: number): void {
  ensure(w, 8);
  w.view.setUint32(w.pos, lo, true);
  w.view.setUint32(w.pos + 4, hi, true);
  w.pos += 8;
}

/**
 * Writes an integer as fixed64 or sfixed64 (two's complement for negatives): the two
 * encodings have the same bytes for every integer a number holds exactly.
 */
export function int64(w: Writer, v: number): void {
  fixed64(w, v >>> 0, Math.floor(v / 0x100000000) >>> 0);
}

/** Writes a fixed64/sfixed64 field from an integer (counts, as_int). */
export function int64Field(w: Writer, field: number, v: number): void {
  tag(w, field, 1);
  int64(w, v);
}

/** Writes an IEEE 754 double, little-endian. */
export function double(w: Writer, v: number): void {
  ensure(w, 8);
  w.view.setFloat64(w.pos, v, true);
  w.pos += 8;
}

/** Writes a double field, or nothing when the value is undefined (proto3 `optional`). */
export function doubleField(w: Writer, field: number, v: number | undefined): void {
  if (v !== undefined) {
    tag(w, field, 1);
    double(w, v);
  }
}

/**
 * Writes an OpenTelemetry HrTime ([seconds, nanoseconds]) as a fixed64 field of
 * nanoseconds, without BigInt: seconds * 1e9 = seconds * 1953125 * 2^9, and
 * seconds * 1953125 stays below 2^53 (exact) until the year 2116, so the two 32-bit halves
 * come from exact double arithmetic.
 */
export function timeField(w: Writer, field: number, time: readonly [number, number]): void {
  tag(w, field, 1);
  const x = time[0] * 1953125;
  const lo = (x % 0x800000) * 512 + time[1];
  fixed64(w, lo >>> 0, (Math.floor(x / 0x800000) + Math.floor(lo / 0x100000000)) >>> 0);
}

/** Writes a string field, or nothing when the string is empty or absent (proto3 default). */
export function stringField(w: Writer, field: number, s: string | undefined): void {
  if (s) {
    tag(w, field, 2);
    string(w, s);
  }
}

/**
 * Starts a length-delimited field (a nested message or packed values): writes its tag,
 * reserves the length prefix, and returns the position to pass to {@link join}.
 */
export function open(w: Writer, field: number): number {
  tag(w, field, 2);
  return fork(w);
}

/**
 * Reserves the length prefix of a length-delimited field (its tag already written) and
 * returns the position to pass to {@link join}.
 */
export function fork(w: Writer): number {
  ensure(w, 1);
  return w.pos++;
}

/** Writes the length of the field started at `start`, moving its body if needed. */
export function join(w: Writer, start: number): void {
  const len = w.pos - start - 1;
  if (len < 0x80) {
    w.buf[start] = len;
    return;
  }
  const n = len < 0x4000 ? 2 : len < 0x200000 ? 3 : len < 0x10000000 ? 4 : 5;
  ensure(w, n - 1);
  const buf = w.buf;
  buf.copyWithin(start + n, start + 1, w.pos);
  w.pos += n - 1;
  let v = len;
  let p = start;
  while (v > 0x7f) {
    buf[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  buf[p] = v;
}

/** Writes raw bytes with their length prefix. */
export function bytes(w: Writer, data: Uint8Array): void {
  varint(w, data.length);
  ensure(w, data.length);
  w.buf.set(data, w.pos);
  w.pos += data.length;
}

/**
 * Writes a hex trace or span id as a bytes field, decoding straight into the buffer (no
 * intermediate array per id); nothing when the id is empty or absent.
 */
export function idField(w: Writer, field: number, hex: string | undefined): void {
  if (!hex) return;
  tag(w, field, 2);
  const n = hex.length >>> 1;
  ensure(w, n + 1);
  const buf = w.buf;
  let pos = w.pos;
  buf[pos++] = n; // ids are 8 or 16 bytes: a one-byte length
  for (let i = 0; i < hex.length; i += 2) {
    // Branch-free hex digit: '0'-'9' (0x30-0x39) -> 0-9; 'a'-'f', 'A'-'F' (0x41.., 0x61..)
    // have bit 6 set and low nibble 1-6 -> 10-15.
    const h = hex.charCodeAt(i);
    const l = hex.charCodeAt(i + 1);
    buf[pos++] = (((h & 0xf) + (h >> 6) * 9) << 4) | ((l & 0xf) + (l >> 6) * 9);
  }
  w.pos = pos;
}

/**
 * Writes a string as UTF-8 with its length prefix, in one pass: the length is fixed up by
 * {@link join} afterwards (a move only for non-ASCII strings over 127 bytes), so there is
 * no separate length scan. Lone surrogates become U+FFFD, as TextEncoder does.
 */
export function string(w: Writer, s: string): void {
  ensure(w, s.length * 3 + 1);
  const start = w.pos++;
  const buf = w.buf;
  let pos = w.pos;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      buf[pos++] = c;
      continue;
    }
    if (c < 0x800) {
      buf[pos++] = 0xc0 | (c >> 6);
    } else {
      if ((c & 0xf800) === 0xd800) {
        // A surrogate: a valid pair is one 4-byte code point, anything else U+FFFD.
        const d = s.charCodeAt(i + 1);
        if (c < 0xdc00 && (d & 0xfc00) === 0xdc00) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          buf[pos++] = 0xf0 | (c >> 18);
          buf[pos++] = 0x80 | ((c >> 12) & 0x3f);
        } else {
          c = 0xfffd;
          buf[pos++] = 0xef;
        }
      } else {
        buf[pos++] = 0xe0 | (c >> 12);
      }
      buf[pos++] = 0x80 | ((c >> 6) & 0x3f);
    }
    buf[pos++] = 0x80 | (c & 0x3f);
  }
  w.pos = pos;
  join(w, start);
}
