import { describe, expect, it } from 'vitest';
import { Code } from '../../src/core/code.js';
import { OtlpError } from '../../src/core/otlp-error.js';
import { encodeEnvelope, parseEnvelopes, parseTrailerBlock } from '../../src/protocol/index.js';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('encodeEnvelope', () => {
  it('writes flags and a big-endian length before the data', () => {
    expect([...encodeEnvelope(0, Uint8Array.of(7, 8, 9))]).toEqual([0, 0, 0, 0, 3, 7, 8, 9]);
    expect([...encodeEnvelope(1, new Uint8Array(0))]).toEqual([1, 0, 0, 0, 0]);
  });

  it('encodes lengths above 2^24 in all four bytes', () => {
    const big = new Uint8Array(0x01020304);
    expect([...encodeEnvelope(0x80, big).subarray(0, 5)]).toEqual([0x80, 1, 2, 3, 4]);
  });
});

describe('parseEnvelopes', () => {
  it('round-trips several envelopes', () => {
    const body = new Uint8Array([
      ...encodeEnvelope(0, Uint8Array.of(1, 2)),
      ...encodeEnvelope(0x80, ascii('grpc-status: 0\r\n')),
    ]);
    const envelopes = parseEnvelopes(body);
    expect(envelopes.map((e) => e.flags)).toEqual([0, 0x80]);
    expect([...envelopes[0]!.data]).toEqual([1, 2]);
    expect(envelopes[1]!.data.length).toBe(16);
  });

  it('returns nothing for an empty body and accepts empty messages', () => {
    expect(parseEnvelopes(new Uint8Array(0))).toEqual([]);
    const [empty] = parseEnvelopes(encodeEnvelope(0, new Uint8Array(0)));
    expect(empty!.data.length).toBe(0);
  });

  it('names the sizes when the data is cut short', () => {
    const body = encodeEnvelope(0, new Uint8Array(120)).subarray(0, 5 + 37);
    let error: unknown;
    try {
      parseEnvelopes(body);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OtlpError);
    expect((error as OtlpError).code).toBe(Code.Internal);
    expect((error as OtlpError).rawMessage).toBe('truncated envelope: 125 bytes needed, 42 left');
  });

  it('rejects a partial header after a complete envelope', () => {
    const body = new Uint8Array([...encodeEnvelope(0, Uint8Array.of(1)), 0, 0]);
    expect(() => parseEnvelopes(body)).toThrow('truncated envelope: 5 bytes needed, 2 left');
  });
});

describe('parseTrailerBlock', () => {
  it('lowercases names and trims values', () => {
    const map = parseTrailerBlock(ascii('Grpc-Status: 8\r\ngrpc-message:  slow down \r\n'));
    expect(map.get('grpc-status')).toBe('8');
    expect(map.get('grpc-message')).toBe('slow down');
    expect(map.size).toBe(2);
  });

  it('keeps colons inside values, tolerates bare LF, skips lines without a name', () => {
    const map = parseTrailerBlock(ascii('x-a: b:c\ngarbage\r\n: nameless\r\n\r\n'));
    expect([...map]).toEqual([['x-a', 'b:c']]);
  });

  it('keeps the last value of a repeated name', () => {
    expect(parseTrailerBlock(ascii('x: 1\r\nx: 2\r\n')).get('x')).toBe('2');
  });

  it('is empty for an empty frame', () => {
    expect(parseTrailerBlock(new Uint8Array(0)).size).toBe(0);
  });
});
