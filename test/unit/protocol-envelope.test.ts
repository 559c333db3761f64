import { describe, expect, it } from 'vitest';
import { Code } from '../../src/core/code.js';
import { encodeEnvelope, interpretResponse, parseTrailerBlock } from '../../src/protocol/index.js';

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

describe('reading envelopes (interpretResponse)', () => {
  const read = (body: Uint8Array) =>
    interpretResponse(
      {
        httpStatus: 200,
        headers: new Map([['content-type', 'application/grpc-web']]),
        body,
        web: true,
      },
      [],
    );
  const ok = encodeEnvelope(0x80, ascii('grpc-status: 0\r\n'));

  it('reads a message and the trailer frame after it', async () => {
    const body = new Uint8Array([...encodeEnvelope(0, Uint8Array.of(1, 2)), ...ok]);
    expect(await read(body)).toMatchObject({ code: Code.Ok, body: Uint8Array.of(1, 2) });
  });

  it('accepts empty messages', async () => {
    const body = new Uint8Array([...encodeEnvelope(0, new Uint8Array(0)), ...ok]);
    expect((await read(body)).body).toHaveLength(0);
  });

  it('names the sizes when the data is cut short', async () => {
    const body = encodeEnvelope(0, new Uint8Array(120)).subarray(0, 5 + 37);
    expect(await read(body)).toMatchObject({
      code: Code.Internal,
      message: 'truncated envelope: 125 bytes needed, 42 left',
    });
  });

  it('rejects a partial header after a complete envelope', async () => {
    const body = new Uint8Array([...encodeEnvelope(0, Uint8Array.of(1)), 0, 0]);
    expect((await read(body)).message).toBe('truncated envelope: 5 bytes needed, 2 left');
  });

  it('reads envelopes of a body that is a view into a bigger buffer', async () => {
    const whole = new Uint8Array([7, 7, 7, ...encodeEnvelope(0, Uint8Array.of(3)), ...ok]);
    expect(await read(whole.subarray(3))).toMatchObject({ code: Code.Ok, body: Uint8Array.of(3) });
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
