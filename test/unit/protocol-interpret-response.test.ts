import { create, toBinary } from '@bufbuild/protobuf';
import { anyPack, DurationSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { RetryInfoSchema } from '../../gen/google/rpc/error_details_pb.js';
import { StatusSchema } from '../../gen/google/rpc/status_pb.js';
import { Code } from '../../src/core/code.js';
import { encodeEnvelope, interpretResponse, type ResponseParts } from '../../src/protocol/index.js';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const headers = (record: Record<string, string>) => new Map(Object.entries(record));
const webType = { 'content-type': 'application/grpc-web+proto' };
const grpcType = { 'content-type': 'application/grpc+proto' };
const message = Uint8Array.of(0x0a, 0x02, 0x08, 0x05);
const trailerFrame = (block: string) => encodeEnvelope(0x80, ascii(block));
const concat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
/** Reads a response without decoders: compressed messages come back unread. */
const interpret = (parts: ResponseParts) => interpretResponse(parts, []);

function retryDetails(seconds: bigint): string {
  const info = create(RetryInfoSchema, { retryDelay: create(DurationSchema, { seconds }) });
  const status = create(StatusSchema, { code: 8, details: [anyPack(RetryInfoSchema, info)] });
  return Buffer.from(toBinary(StatusSchema, status)).toString('base64').replace(/=+$/, '');
}

describe('interpretResponse, gRPC-web', () => {
  it('returns the message and OK from the trailer frame', async () => {
    const result = await interpret({
      httpStatus: 200,
      headers: headers(webType),
      body: concat(encodeEnvelope(0, message), trailerFrame('grpc-status: 0\r\n')),
      web: true,
    });
    expect(result).toEqual({ code: Code.Ok, message: '', httpStatus: 200, body: message });
  });

  it('returns an empty body for OK without a message', async () => {
    const result = await interpret({
      httpStatus: 200,
      headers: headers({ 'content-type': 'application/grpc-web' }),
      body: trailerFrame('grpc-status: 0\r\n'),
      web: true,
    });
    expect(result.code).toBe(Code.Ok);
    expect(result.body).toEqual(new Uint8Array(0));
  });

  it('reads an error status, percent-decoded message and RetryInfo from the trailer frame', async () => {
    const block = `Grpc-Status: 8\r\ngrpc-message: too%20many\r\ngrpc-status-details-bin: ${retryDetails(7n)}\r\n`;
    const result = await interpret({
      httpStatus: 200,
      headers: headers({ 'content-type': 'application/grpc-web+proto; charset=x' }),
      body: trailerFrame(block),
      web: true,
    });
    expect(result).toEqual({
      code: Code.ResourceExhausted,
      message: 'too many',
      retryDelayMs: 7000,
      httpStatus: 200,
    });
  });

  it('handles Trailers-Only (status in headers, empty body)', async () => {
    const result = await interpret({
      httpStatus: 200,
      headers: headers({ ...webType, 'grpc-status': '16', 'grpc-message': 'no%20token' }),
      body: new Uint8Array(0),
      web: true,
    });
    expect(result).toEqual({ code: Code.Unauthenticated, message: 'no token', httpStatus: 200 });
  });

  it('prefers a grpc-status header even on a non-200 response', async () => {
    const result = await interpret({
      httpStatus: 429,
      headers: headers({ 'grpc-status': '8' }),
      body: new Uint8Array(0),
      web: true,
    });
    expect(result.code).toBe(Code.ResourceExhausted);
  });

  it('maps a proxy HTTP 503 without grpc-status, quoting its text', async () => {
    const result = await interpret({
      httpStatus: 503,
      headers: headers({ 'content-type': 'text/plain' }),
      body: ascii('upstream connect error\n or disconnect/reset before headers'),
      web: true,
    });
    expect(result).toEqual({
      code: Code.Unavailable,
      message:
        'HTTP 503 without grpc-status (from a proxy?): upstream connect error or disconnect/reset before headers',
      httpStatus: 503,
    });
  });

  it('leaves binary bodies out of the message and cuts long text at 100 bytes', async () => {
    const binary = await interpret({
      httpStatus: 401,
      headers: headers({}),
      body: Uint8Array.of(0, 1, 2, 0xff),
      web: true,
    });
    expect(binary).toEqual({
      code: Code.Unauthenticated,
      message: 'HTTP 401 without grpc-status (from a proxy?)',
      httpStatus: 401,
    });
    const long = await interpret({
      httpStatus: 500,
      headers: headers({}),
      body: ascii('x'.repeat(500)),
      web: true,
    });
    expect(long.code).toBe(Code.Unknown);
    expect(long.message).toBe(`HTTP 500 without grpc-status (from a proxy?): ${'x'.repeat(100)}`);
  });

  it('rejects a 200 with a non-gRPC content-type, naming it', async () => {
    const result = await interpret({
      httpStatus: 200,
      headers: headers({ 'content-type': 'text/html; charset=utf-8' }),
      body: ascii('<html>login</html>'),
      web: true,
    });
    expect(result.code).toBe(Code.Unknown);
    expect(result.message).toBe(
      'HTTP 200 with content-type "text/html", expected application/grpc-web: <html>login</html>',
    );
    const native = await interpret({
      httpStatus: 200,
      headers: headers(webType),
      body: new Uint8Array(0),
      web: false,
    });
    expect(native.message).toMatch(
      /content-type "application\/grpc-web\+proto", expected application\/grpc$/,
    );
    const json = await interpret({
      httpStatus: 200,
      headers: headers({ 'content-type': 'application/grpc-web+json' }),
      body: new Uint8Array(0),
      web: true,
    });
    expect(json.code).toBe(Code.Unknown);
  });

  it('decodes a compressed message with the decoder of its grpc-encoding', async () => {
    const parts: ResponseParts = {
      httpStatus: 200,
      headers: headers({ ...webType, 'grpc-encoding': 'gzip' }),
      body: concat(encodeEnvelope(1, message), trailerFrame('grpc-status: 0\r\n')),
      web: true,
    };
    const seen: [number[], number][] = [];
    const gzip = {
      name: 'gzip',
      compress: async (data: Uint8Array) => data,
      decompress: async (data: Uint8Array, maxBytes: number) => {
        seen.push([[...data], maxBytes]);
        return Uint8Array.of(9);
      },
    };
    expect(await interpretResponse(parts, [gzip], 1234)).toEqual({
      code: Code.Ok,
      message: '',
      httpStatus: 200,
      body: Uint8Array.of(9),
    });
    // The message as it came, and the output limit.
    expect(seen).toEqual([[[...message], 1234]]);
  });

  it('refuses a compressed message without a grpc-encoding to read it by', async () => {
    for (const encoding of [{}, { 'grpc-encoding': 'identity' }]) {
      const result = await interpret({
        httpStatus: 200,
        headers: headers({ ...webType, ...encoding }),
        body: concat(encodeEnvelope(1, message), trailerFrame('grpc-status: 0\r\n')),
        web: true,
      });
      expect(result).toEqual({
        code: Code.Internal,
        message: `compressed response message with grpc-encoding "${Object.values(encoding)[0] ?? ''}"`,
        httpStatus: 200,
      });
    }
  });

  it('reports a truncated body as Internal', async () => {
    const body = concat(encodeEnvelope(0, message), trailerFrame('grpc-status: 0\r\n'));
    const result = await interpret({
      httpStatus: 200,
      headers: headers(webType),
      body: body.subarray(0, body.length - 3),
      web: true,
    });
    expect(result).toEqual({
      code: Code.Internal,
      message: 'truncated envelope: 21 bytes needed, 18 left',
      httpStatus: 200,
    });
  });

  it('reports a missing trailer frame as Internal', async () => {
    const result = await interpret({
      httpStatus: 200,
      headers: headers(webType),
      body: encodeEnvelope(0, message),
      web: true,
    });
    expect(result).toEqual({
      code: Code.Internal,
      message: 'missing grpc-status',
      httpStatus: 200,
    });
  });

  it('rejects two messages in a unary response', async () => {
    const result = await interpret({
      httpStatus: 200,
      headers: headers(webType),
      body: concat(
        encodeEnvelope(0, message),
        encodeEnvelope(0, message),
        trailerFrame('grpc-status: 0\r\n'),
      ),
      web: true,
    });
    expect(result.code).toBe(Code.Internal);
    expect(result.message).toBe('several messages in a unary response');
  });
});

describe('interpretResponse, grpc-accept-encoding', () => {
  it('lists the accepted encodings on UNIMPLEMENTED, from trailers or headers', async () => {
    const web = await interpret({
      httpStatus: 200,
      headers: headers(webType),
      body: trailerFrame('grpc-status: 12\r\ngrpc-accept-encoding: gzip, identity\r\n'),
      web: true,
    });
    expect(web.acceptEncoding).toEqual(['gzip', 'identity']);
    const native = await interpret({
      httpStatus: 200,
      headers: headers({ ...grpcType, 'grpc-status': '12', 'grpc-accept-encoding': 'gzip' }),
      body: new Uint8Array(0),
      web: false,
    });
    expect(native).toEqual({
      code: Code.Unimplemented,
      message: '',
      httpStatus: 200,
      acceptEncoding: ['gzip'],
    });
  });

  it('leaves it out of other results', async () => {
    const result = await interpret({
      httpStatus: 200,
      headers: headers({ ...grpcType, 'grpc-accept-encoding': 'gzip' }),
      body: encodeEnvelope(0, message),
      trailers: headers({ 'grpc-status': '0' }),
      web: false,
    });
    expect(result).toEqual({ code: Code.Ok, message: '', httpStatus: 200, body: message });
  });
});

describe('interpretResponse, native gRPC', () => {
  it('takes the status from HTTP trailers', async () => {
    const ok = await interpret({
      httpStatus: 200,
      headers: headers(grpcType),
      body: encodeEnvelope(0, message),
      trailers: headers({ 'grpc-status': '0' }),
      web: false,
    });
    expect(ok).toEqual({ code: Code.Ok, message: '', httpStatus: 200, body: message });
    const failed = await interpret({
      httpStatus: 200,
      headers: headers({ 'content-type': 'application/grpc' }),
      body: new Uint8Array(0),
      trailers: headers({ 'grpc-status': '14', 'grpc-message': 'bye' }),
      web: false,
    });
    expect(failed).toEqual({ code: Code.Unavailable, message: 'bye', httpStatus: 200 });
  });

  it('handles Trailers-Only', async () => {
    const result = await interpret({
      httpStatus: 200,
      headers: headers({ ...grpcType, 'grpc-status': '12', 'grpc-message': 'unknown%20service' }),
      body: new Uint8Array(0),
      web: false,
    });
    expect(result).toEqual({
      code: Code.Unimplemented,
      message: 'unknown service',
      httpStatus: 200,
    });
  });

  it('does not read trailer frames from the body', async () => {
    const result = await interpret({
      httpStatus: 200,
      headers: headers(grpcType),
      body: trailerFrame('grpc-status: 0\r\n'),
      web: false,
    });
    expect(result.code).toBe(Code.Internal);
  });

  it('reports missing trailers as Internal', async () => {
    const result = await interpret({
      httpStatus: 200,
      headers: headers(grpcType),
      body: encodeEnvelope(0, message),
      trailers: headers({}),
      web: false,
    });
    expect(result).toEqual({
      code: Code.Internal,
      message: 'missing grpc-status',
      httpStatus: 200,
    });
  });

  it('maps HTTP errors without any grpc-status', async () => {
    const result = await interpret({
      httpStatus: 502,
      headers: headers({}),
      body: new Uint8Array(0),
      trailers: headers({}),
      web: false,
    });
    expect(result).toEqual({
      code: Code.Unavailable,
      message: 'HTTP 502 without grpc-status (from a proxy?)',
      httpStatus: 502,
    });
  });
});
