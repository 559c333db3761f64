import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import { describe, expect, it } from 'vitest';
import { createEncodeStats } from '../../src/encode/limits.js';
import {
  bytesField,
  double,
  encode,
  ensure,
  fixed32Field,
  idField,
  int64,
  join,
  open,
  strField,
  timeField,
  varint,
  Writer,
} from '../../src/encode/writer.js';

// The hand-written writer against @bufbuild/protobuf's BinaryWriter as the oracle: same
// bytes for every primitive, including the edge cases (negative int64, 2^53+, surrogates).
function ours(write: (w: Writer) => void): Uint8Array {
  return encode(undefined, (w) => {
    // double and int64 have no ensure of their own: in the encoders they follow a tag.
    ensure(w, 8);
    write(w);
  });
}

describe('writer primitives match @bufbuild/protobuf', () => {
  it.each([
    0,
    1,
    127,
    128,
    255,
    300,
    16383,
    16384,
    2 ** 21,
    2 ** 28,
    2 ** 31,
    2 ** 32 - 1,
    2 ** 32,
    2 ** 35 + 7,
    Number.MAX_SAFE_INTEGER,
    2 ** 60,
    2 ** 63 - 2 ** 11,
    -1,
    -2,
    -127,
    -128,
    -(2 ** 31),
    -(2 ** 32),
    -(2 ** 40) - 5,
    Number.MIN_SAFE_INTEGER,
    -(2 ** 63),
  ])('varint as int64: %d', (n) => {
    expect(ours((w) => varint(w, n))).toEqual(new BinaryWriter().int64(BigInt(n)).finish());
  });

  it.each([
    0,
    1,
    2 ** 32 - 1,
    2 ** 32,
    2 ** 40 + 1,
    Number.MAX_SAFE_INTEGER,
    -1,
    -(2 ** 32),
    -(2 ** 32) - 1,
    -12,
    Number.MIN_SAFE_INTEGER,
  ])('sfixed64: %d', (n) => {
    expect(ours((w) => int64(w, n))).toEqual(new BinaryWriter().sfixed64(BigInt(n)).finish());
  });

  it.each([0, 1, 2 ** 32, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER])('fixed64: %d', (n) => {
    expect(ours((w) => int64(w, n))).toEqual(new BinaryWriter().fixed64(BigInt(n)).finish());
  });

  it.each([0, 1, 0x101, 0x301, 0xffffffff])('fixed32: %d', (n) => {
    expect(ours((w) => fixed32Field(w, 6, n))).toEqual(
      new BinaryWriter().tag(6, WireType.Bit32).fixed32(n).finish(),
    );
  });

  it.each([0, -0, 1.5, -2.25, Math.PI, Number.NaN, Infinity, -Infinity, 2 ** 64, 5e-324])(
    'double: %d',
    (n) => {
      expect(ours((w) => double(w, n))).toEqual(new BinaryWriter().double(n).finish());
    },
  );

  it.each([
    ['empty', ''],
    ['ascii', 'hello world'],
    ['long ascii', 'a'.repeat(200)],
    ['latin-1', 'héllo wörld'],
    ['bmp', '日本語 ✓'],
    ['astral', '🚀 x 𝄞'],
    ['non-ascii after 127 ascii', `${'a'.repeat(127)}é`],
    ['lone high surrogate', 'a\ud800b'],
    ['lone low surrogate', 'a\udc00b'],
    ['high surrogate at end', 'ab\ud83d'],
    ['reversed pair', '\ude80\ud83d'],
    ['non-ascii, 200 bytes', 'é'.repeat(100)],
    ['mixed, 20000 bytes', '✓a'.repeat(5000)],
  ])('string: %s', (_, s) => {
    // BinaryWriter encodes with TextEncoder: lone surrogates become U+FFFD there too.
    const expected = new BinaryWriter().tag(3, WireType.LengthDelimited).string(s).finish();
    expect(ours((w) => strField(w, 3, s))).toEqual(expected);
  });

  it('tags of small and large field numbers', () => {
    // Tags are varints of (field << 3) | wire type.
    expect(ours((w) => varint(w, (1 << 3) | 2))).toEqual(
      new BinaryWriter().tag(1, WireType.LengthDelimited).finish(),
    );
    expect(ours((w) => fixed32Field(w, 16, 0))).toEqual(
      new BinaryWriter().tag(16, WireType.Bit32).fixed32(0).finish(),
    );
    expect(ours((w) => varint(w, 2000 << 3))).toEqual(
      new BinaryWriter().tag(2000, WireType.Varint).finish(),
    );
  });

  it('bytes and hex ids', () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
    expect(ours((w) => bytesField(w, 7, data))).toEqual(
      new BinaryWriter().tag(7, WireType.LengthDelimited).bytes(data).finish(),
    );
    const id = '0af7651916cd43dd8448eb211c80319c';
    expect(ours((w) => idField(w, 1, id))).toEqual(
      new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(Buffer.from(id, 'hex')).finish(),
    );
    expect(ours((w) => idField(w, 2, 'B7AD6B7169203331'))).toEqual(
      new BinaryWriter()
        .tag(2, WireType.LengthDelimited)
        .bytes(Buffer.from('b7ad6b7169203331', 'hex'))
        .finish(),
    );
    expect(ours((w) => idField(w, 1, ''))).toEqual(new Uint8Array(0));
    expect(ours((w) => idField(w, 1, undefined))).toEqual(new Uint8Array(0));
  });
});

describe('open/join length prefixes', () => {
  // Bodies whose lengths straddle every varint size boundary, nested two deep.
  it.each([0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21])('body of %d bytes', (n) => {
    const body = new Uint8Array(n).fill(7);
    const got = ours((w) => {
      const outer = open(w, 1);
      const inner = open(w, 2);
      for (let i = 0; i < n; i++) varint(w, 7); // one byte each
      join(w, inner);
      varint(w, 3 << 3);
      varint(w, 1);
      join(w, outer);
    });
    const expected = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .fork()
      .tag(2, WireType.LengthDelimited)
      .bytes(body)
      .tag(3, WireType.Varint)
      .uint32(1)
      .join()
      .finish();
    expect(Buffer.compare(got, expected)).toBe(0);
  });
});

describe('timeField', () => {
  it.each([
    [0, 0],
    [0, 999_999_999],
    [1, 0],
    [1_700_000_000, 123_456_789],
    [1_795_473_574, 999_999_999],
    [4_294_967_295, 999_999_999], // past 2106: beyond 32-bit seconds
    [4_500_000_000, 1],
  ])('[%d, %d] is fixed64 nanoseconds', (s, ns) => {
    const reader = new BinaryReader(ours((w) => timeField(w, 7, [s, ns])));
    expect(reader.tag()).toEqual([7, WireType.Bit64]);
    const value = reader.fixed64();
    expect(BigInt(value)).toBe(BigInt(s) * 1_000_000_000n + BigInt(ns));
  });
});

describe('nested encode', () => {
  // An encode started from inside another on the same writer (a traceState.serialize()
  // that encodes) gets a writer of its own: both results must be unaffected.
  it('leaves the outer encode and its options intact', () => {
    const writer = new Writer();
    const stats = createEncodeStats();
    const inner = () =>
      encode({ maxStringBytes: 3, stats, writer }, (w) => strField(w, 1, 'nested'));
    const expectedInner = inner();
    const body = (nested: () => void) => (w: Writer) => {
      strField(w, 1, 'before');
      const start = open(w, 2);
      strField(w, 1, 'x'.repeat(200));
      nested();
      strField(w, 2, 'after, not cut to 3 bytes');
      join(w, start);
    };
    let got: Uint8Array | undefined;
    const outer = encode(
      { writer },
      body(() => (got = inner())),
    );
    expect(got).toEqual(expectedInner);
    expect(outer).toEqual(
      encode(
        undefined,
        body(() => {}),
      ),
    );
    expect(stats.truncatedStrings).toBe(2);
    expect(writer.busy).toBe(false);
  });
});

describe('writer reuse', () => {
  it('keeps its grown buffer from one encode to the next, and writers are independent', () => {
    const writer = new Writer();
    const write = (w: Writer) => strField(w, 1, 'y'.repeat(1000));
    const first = encode({ writer }, write);
    const grown = writer.buf;
    expect(grown.length).toBeGreaterThanOrEqual(first.length);
    expect(encode({ writer }, write)).toEqual(first);
    expect(writer.buf).toBe(grown);
    const other = new Writer();
    expect(encode({ writer: other }, write)).toEqual(first);
    expect(other.buf).not.toBe(grown);
    expect(writer.buf).toBe(grown);
  });

  it('drops a buffer grown past 4 MiB', () => {
    const writer = new Writer();
    encode({ writer, maxStringBytes: 2 ** 23 }, (w) => strField(w, 1, 'z'.repeat(5 << 20)));
    expect(writer.buf.length).toBe(0);
  });
});
