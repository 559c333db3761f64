import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Code } from '../../src/core/code.js';
import { MAX_RESPONSE_BYTES } from '../../src/core/compression.js';
import { OtlpError } from '../../src/core/otlp-error.js';
import { zlibDecoders, gzipCompression as zlibGzip } from '../../src/node/zlib-compression.js';
import { acceptEncoding, encodeEnvelope, interpretResponse } from '../../src/protocol/index.js';
import { readStream } from '../../src/web/byte-stream.js';
import { streamDecoders, gzipCompression as webGzip } from '../../src/web/compression.js';

const text = new TextEncoder().encode('partial_success '.repeat(200));
const zeros = (n: number) => zlib.gzipSync(new Uint8Array(n));

async function rejection(promise: Promise<unknown>): Promise<OtlpError> {
  try {
    await promise;
  } catch (error) {
    return error as OtlpError;
  }
  throw new Error('expected a rejection');
}

describe.each([
  ['zlib', zlibGzip()],
  ['DecompressionStream', webGzip()!],
])('gzip decompress (%s)', (_name, gzip) => {
  it('reads back what gzip wrote', async () => {
    const read = async (bytes: Uint8Array, max: number) =>
      new Uint8Array(await gzip.decompress!(bytes, max));
    expect(await read(zlib.gzipSync(text), MAX_RESPONSE_BYTES)).toEqual(text);
    expect(await read(await gzip.compress(text), text.length)).toEqual(text);
  });

  it('stops at maxBytes of output: RESOURCE_EXHAUSTED naming the limit', async () => {
    // 5 KiB of gzip that inflates to 5 MiB.
    const bomb = zeros(5 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(10_000);
    const error = await rejection(gzip.decompress!(bomb, MAX_RESPONSE_BYTES));
    expect(error).toBeInstanceOf(OtlpError);
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.rawMessage).toBe(
      'gzip response message exceeds the response limit of 4194304 bytes',
    );
    expect(await gzip.decompress!(zeros(100), 100)).toHaveLength(100);
    expect((await rejection(gzip.decompress!(zeros(101), 100))).code).toBe(Code.ResourceExhausted);
  });

  it('rejects bytes that are not gzip', async () => {
    const error = await rejection(gzip.decompress!(text, MAX_RESPONSE_BYTES));
    expect(error).toBeInstanceOf(Error);
    expect(OtlpError.from(error).code).not.toBe(Code.ResourceExhausted);
  });
});

describe('decoders and grpc-accept-encoding', () => {
  it('advertises identity and what this runtime decodes', () => {
    // Node 20: gzip only (zlib has zstd from 22.15).
    const zstd = typeof (zlib as unknown as Record<string, unknown>).zstdDecompress;
    const names = zlibDecoders().map((d) => d.name);
    expect(names).toEqual(zstd === 'function' ? ['gzip', 'zstd'] : ['gzip']);
    expect(acceptEncoding(zlibDecoders())).toBe(['identity', ...names].join(','));
    expect(streamDecoders().map((d) => d.name)).toContain('gzip');
    expect(acceptEncoding([])).toBe('identity');
    expect(acceptEncoding([{ name: 'br', compress: async (d) => d }])).toBe('identity');
  });
});

describe('interpretResponse: compressed messages', () => {
  /** A gRPC-web OK response whose message came in `encoding` (compressed unless undefined). */
  const ok = (body: Uint8Array, encoding?: string) => ({
    httpStatus: 200,
    headers: new Map([
      ['content-type', 'application/grpc-web'],
      ['grpc-encoding', encoding ?? 'identity'],
    ]),
    body: new Uint8Array([
      ...encodeEnvelope(encoding ? 1 : 0, body),
      ...encodeEnvelope(0x80, new TextEncoder().encode('grpc-status: 0\r\n')),
    ]),
    web: true,
  });
  const result = (body?: Uint8Array) => ({
    code: Code.Ok,
    message: '',
    httpStatus: 200,
    ...(body ? { body } : {}),
  });

  it('decompresses an OK message with the decoder of its encoding', async () => {
    const read = await interpretResponse(ok(zlib.gzipSync(text), 'gzip'), zlibDecoders());
    expect({ ...read, body: new Uint8Array(read.body!) }).toEqual(result(text));
  });

  it('passes identity messages and failures through', async () => {
    expect(await interpretResponse(ok(text), [])).toEqual(result(text));
    const failed = {
      ...ok(text, 'gzip'),
      headers: new Map([
        ['grpc-status', '14'],
        ['grpc-message', 'down'],
        ['grpc-encoding', 'gzip'],
      ]),
    };
    expect(await interpretResponse(failed, zlibDecoders())).toEqual({
      code: Code.Unavailable,
      message: 'down',
      httpStatus: 200,
    });
  });

  it('keeps an OK without a decoder as OK, saying why the message is unread', async () => {
    expect(await interpretResponse(ok(text, 'br'), zlibDecoders())).toEqual({
      ...result(),
      responseUnread: 'br response message unread: not decodable here',
    });
    const corrupt = await interpretResponse(ok(text, 'gzip'), zlibDecoders());
    expect(corrupt).toMatchObject(result());
    expect(corrupt.body).toBeUndefined();
    expect(corrupt.responseUnread).toMatch(/^gzip response message unread: ./);
  });

  it('fails a message that decompresses past the limit, naming it', async () => {
    expect(await interpretResponse(ok(zeros(2049), 'gzip'), streamDecoders(), 2048)).toEqual({
      code: Code.ResourceExhausted,
      message: 'gzip response message exceeds the response limit of 2048 bytes',
      httpStatus: 200,
    });
  });
});

describe('readStream', () => {
  const stream = (...chunks: number[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const n of chunks) controller.enqueue(new Uint8Array(n));
        controller.close();
      },
    });

  it('joins the chunks up to the limit and refuses one byte more', async () => {
    expect(await readStream(stream(3, 4), 7, 'response body')).toHaveLength(7);
    expect(await readStream(null, 7, 'response body')).toHaveLength(0);
    const error = await rejection(readStream(stream(3, 5), 7, 'response body'));
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.rawMessage).toBe('response body exceeds the response limit of 7 bytes');
  });
});
