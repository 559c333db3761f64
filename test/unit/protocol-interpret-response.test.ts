import { create, toBinary } from '@bufbuild/protobuf';
import { anyPack, DurationSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { RetryInfoSchema } from '../../gen/google/rpc/error_details_pb.js';
import { StatusSchema } from '../../gen/google/rpc/status_pb.js';
import { Code } from '../../src/core/code.js';
import { encodeEnvelope, interpretResponse } from '../../src/protocol/index.js';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const headers = (record: Record<string, string>) => new Map(Object.entries(record));
const webType = { 'content-type': 'application/grpc-web+proto' };
const grpcType = { 'content-type': 'application/grpc+proto' };
const message = Uint8Array.of(0x0a, 0x02, 0x08, 0x05);
const trailerFrame = (block: string) => encodeEnvelope(0x80, ascii(block));
const concat = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));

function retryDetails(seconds: bigint): string {
  const info = create(RetryInfoSchema, { retryDelay: create(DurationSchema, { seconds }) });
  const status = create(StatusSchema, { code: 8, details: [anyPack(RetryInfoSchema, info)] });
  return Buffer.from(toBinary(StatusSchema, status)).toString('base64').replace(/=+$/, '');
}

describe('interpretResponse, gRPC-web', () => {
  it('returns the message and OK from the trailer frame', () => {
    const result = interpretResponse({
      httpStatus: 200,
      headers: headers(webType),
      body: concat(encodeEnvelope(0, message), trailerFrame('grpc-status: 0\r\n')),
      web: true,
    });
    expect(result).toEqual({ code: Code.Ok, message: '', httpStatus: 200, body: message });
  });

  it('returns an empty body for OK without a message', () => {
    const result = interpretResponse({
      httpStatus: 200,
      headers: headers({ 'content-type': 'application/grpc-web' }),
      body: trailerFrame('grpc-status: 0\r\n'),
      web: true,
    });
    expect(result.code).toBe(Code.Ok);
    expect(result.body).toEqual(new Uint8Array(0));
  });

  it('reads an error status, percent-decoded message and RetryInfo from the trailer frame', () => {
    const block = `Grpc-Status: 8\r\ngrpc-message: too%20many\r\ngrpc-status-details-bin: ${retryDetails(7n)}\r\n`;
    const result = interpretResponse({
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

  it('handles Trailers-Only (status in headers, empty body)', () => {
    const result = interpretResponse({
      httpStatus: 200,
      headers: headers({ ...webType, 'grpc-status': '16', 'grpc-message': 'no%20token' }),
      body: new Uint8Array(0),
      web: true,
    });
    expect(result).toEqual({ code: Code.Unauthenticated, message: 'no token', httpStatus: 200 });
  });

  it('prefers a grpc-status header even on a non-200 response', () => {
    const result = interpretResponse({
      httpStatus: 429,
      headers: headers({ 'grpc-status': '8' }),
      body: new Uint8Array(0),
      web: true,
    });
    expect(result.code).toBe(Code.ResourceExhausted);
  });

  it('maps a proxy HTTP 503 without grpc-status, quoting its text', () => {
    const result = interpretResponse({
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

  it('leaves binary bodies out of the message and cuts long text at 100 bytes', () => {
    const binary = interpretResponse({
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
    const long = interpretResponse({
      httpStatus: 500,
      headers: headers({}),
      body: ascii('x'.repeat(500)),
      web: true,
    });
    expect(long.code).toBe(Code.Unknown);
    expect(long.message).toBe(`HTTP 500 without grpc-status (from a proxy?): ${'x'.repeat(100)}`);
  });

  it('rejects a 200 with a non-gRPC content-type, naming it', () => {
    const result = interpretResponse({
      httpStatus: 200,
      headers: headers({ 'content-type': 'text/html; charset=utf-8' }),
      body: ascii('<html>login</html>'),
      web: true,
    });
    expect(result.code).toBe(Code.Unknown);
    expect(result.message).toBe(
      'HTTP 200 with content-type "text/html", expected application/grpc-web: <html>login</html>',
    );
    const native = interpretResponse({
      httpStatus: 200,
      headers: headers(webType),
      body: new Uint8Array(0),
      web: false,
    });
    expect(native.message).toMatch(
      /content-type "application\/grpc-web\+proto", expected application\/grpc$/,
    );
    const json = interpretResponse({
      httpStatus: 200,
      headers: headers({ 'content-type': 'application/grpc-web+json' }),
      body: new Uint8Array(0),
      web: true,
    });
    expect(json.code).toBe(Code.Unknown);
  });

  it('returns a compressed message as it came, with its grpc-encoding', () => {
    const result = interpretResponse({
      httpStatus: 200,
      headers: headers({ ...webType, 'grpc-encoding': 'gzip' }),
      body: concat(encodeEnvelope(1, message), trailerFrame('grpc-status: 0\r\n')),
      web: true,
    });
    expect(result).toEqual({
      code: Code.Ok,
      message: '',
      httpStatus: 200,
      body: message,
      encoding: 'gzip',
    });
  });

  it('refuses a compressed message without a grpc-encoding to read it by', () => {
    for (const encoding of [{}, { 'grpc-encoding': 'identity' }]) {
      const result = interpretResponse({
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

  it('reports a truncated body as Internal', () => {
    const body = concat(encodeEnvelope(0, message), trailerFrame('grpc-status: 0\r\n'));
    const result = interpretResponse({
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

  it('reports a missing trailer frame as Internal', () => {
    const result = interpretResponse({
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

  it('rejects two messages in a unary response', () => {
    const result = interpretResponse({
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
  it('lists the accepted encodings on UNIMPLEMENTED, from trailers or headers', () => {
    const web = interpretResponse({
      httpStatus: 200,
      headers: headers(webType),
      body: trailerFrame('grpc-status: 12\r\ngrpc-accept-encoding: gzip, identity\r\n'),
      web: true,
    });
    expect(web.acceptEncoding).toEqual(['gzip', 'identity']);
    const native = interpretResponse({
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

  it('leaves it out of other results', () => {
    const result = interpretResponse({
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
  it('takes the status from HTTP trailers', () => {
    const ok = interpretResponse({
      httpStatus: 200,
      headers: headers(grpcType),
      body: encodeEnvelope(0, message),
      trailers: headers({ 'grpc-status': '0' }),
      web: false,
    });
    expect(ok).toEqual({ code: Code.Ok, message: '', httpStatus: 200, body: message });
    const failed = interpretResponse({
      httpStatus: 200,
      headers: headers({ 'content-type': 'application/grpc' }),
      body: new Uint8Array(0),
      trailers: headers({ 'grpc-status': '14', 'grpc-message': 'bye' }),
      web: false,
    });
    expect(failed).toEqual({ code: Code.Unavailable, message: 'bye', httpStatus: 200 });
  });

  it('handles Trailers-Only', () => {
    const result = interpretResponse({
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

  it('does not read trailer frames from the body', () => {
    const result = interpretResponse({
      httpStatus: 200,
      headers: headers(grpcType),
      body: trailerFrame('grpc-status: 0\r\n'),
      web: false,
    });
    expect(result.code).toBe(Code.Internal);
  });

  it('reports missing trailers as Internal', () => {
    const result = interpretResponse({
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

  it('maps HTTP errors without any grpc-status', () => {
    const result = interpretResponse({
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
