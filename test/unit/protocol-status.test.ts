import { create, toBinary } from '@bufbuild/protobuf';
import { AnySchema, anyPack, DurationSchema } from '@bufbuild/protobuf/wkt';
import { describe, expect, it } from 'vitest';
import { RetryInfoSchema } from '../../gen/google/rpc/error_details_pb.js';
import { StatusSchema } from '../../gen/google/rpc/status_pb.js';
import { Code } from '../../src/core/code.js';
import {
  codeFromHttpStatus,
  decodeBase64,
  percentDecode,
  readStatus,
  retryDelayFromStatusDetails,
} from '../../src/protocol/index.js';

const headers = (record: Record<string, string>) => new Map(Object.entries(record));

/** grpc-status-details-bin as a real server would send it: gen-encoded, base64. */
function statusDetails(
  delay: { seconds: bigint; nanos: number } | undefined,
  extra: { typeUrl: string; value: Uint8Array }[] = [],
  padded = false,
): string {
  const details = [];
  if (delay) {
    const info = create(RetryInfoSchema, { retryDelay: create(DurationSchema, delay) });
    details.push(anyPack(RetryInfoSchema, info));
  }
  // Other details after RetryInfo, so a wrongly matched one would overwrite the delay.
  for (const e of extra) details.push(create(AnySchema, e));
  const status = create(StatusSchema, { code: 8, message: 'quota', details });
  const b64 = Buffer.from(toBinary(StatusSchema, status)).toString('base64');
  return padded ? b64 : b64.replace(/=+$/, '');
}

describe('retryDelayFromStatusDetails', () => {
  it('reads RetryInfo from gen-encoded Status bytes, padded or not', () => {
    expect(retryDelayFromStatusDetails(statusDetails({ seconds: 2n, nanos: 500_000_000 }))).toBe(
      2500,
    );
    expect(retryDelayFromStatusDetails(statusDetails({ seconds: 1n, nanos: 0 }, [], true))).toBe(
      1000,
    );
  });

  it('rounds sub-millisecond delays up', () => {
    expect(retryDelayFromStatusDetails(statusDetails({ seconds: 0n, nanos: 1 }))).toBe(1);
    expect(retryDelayFromStatusDetails(statusDetails({ seconds: 0n, nanos: 0 }))).toBe(0);
  });

  it('finds RetryInfo among other details and ignores look-alikes', () => {
    const other = { typeUrl: 'type.googleapis.com/google.rpc.ErrorInfo', value: Uint8Array.of(1) };
    const fakes = ['type.googleapis.com/xgoogle.rpc.RetryInfo', 'a/google.rpc.RetryInfoX'].map(
      (typeUrl) => ({ typeUrl, value: Uint8Array.of() }),
    );
    expect(
      retryDelayFromStatusDetails(statusDetails({ seconds: 3n, nanos: 0 }, [other, ...fakes])),
    ).toBe(3000);
  });

  it('accepts the URL-safe alphabet', () => {
    const b64 = statusDetails({ seconds: 4n, nanos: 0 });
    const urlSafe = Buffer.from(b64, 'base64').toString('base64url');
    expect(retryDelayFromStatusDetails(urlSafe)).toBe(4000);
  });

  it('treats negative durations as no delay', () => {
    expect(retryDelayFromStatusDetails(statusDetails({ seconds: -5n, nanos: -1 }))).toBe(0);
  });

  it('is undefined without RetryInfo and for garbage, without throwing', () => {
    expect(retryDelayFromStatusDetails(statusDetails(undefined))).toBeUndefined();
    expect(retryDelayFromStatusDetails('')).toBeUndefined();
    expect(retryDelayFromStatusDetails(null)).toBeUndefined();
    expect(retryDelayFromStatusDetails(undefined)).toBeUndefined();
    expect(retryDelayFromStatusDetails('!!!not base64')).toBeUndefined();
    // Status whose details field claims 100 bytes but has 1.
    expect(
      retryDelayFromStatusDetails(Buffer.from([0x1a, 100, 0]).toString('base64')),
    ).toBeUndefined();
  });
});

describe('decodeBase64', () => {
  it('matches Buffer for every length and both paddings', () => {
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => (i * 37 + 250) % 256);
    for (let n = 0; n <= bytes.length; n++) {
      const b64 = Buffer.from(bytes.subarray(0, n)).toString('base64');
      expect([...decodeBase64(b64)]).toEqual([...bytes.subarray(0, n)]);
      expect([...decodeBase64(b64.replace(/=+$/, ''))]).toEqual([...bytes.subarray(0, n)]);
    }
  });

  it('refuses a character outside the alphabet', () => {
    expect(() => decodeBase64('ab*d')).toThrow();
  });
});

describe('readStatus', () => {
  it('is undefined without grpc-status', () => {
    expect(readStatus(headers({ 'grpc-message': 'x' }))).toBeUndefined();
  });

  it('reads code and message', () => {
    expect(readStatus(headers({ 'grpc-status': '0' }))).toEqual({ code: Code.Ok, message: '' });
    expect(readStatus(headers({ 'grpc-status': '14', 'grpc-message': 'down' }))).toEqual({
      code: Code.Unavailable,
      message: 'down',
    });
  });

  it('turns an invalid grpc-status into Unknown naming it', () => {
    for (const raw of ['abc', '17', '-1', '', '1.5']) {
      const status = readStatus(headers({ 'grpc-status': raw, 'grpc-message': 'm' }));
      expect(status?.code).toBe(Code.Unknown);
      expect(status?.message).toBe(`invalid grpc-status ${raw}: m`);
    }
  });

  it('percent-decodes grpc-message as UTF-8', () => {
    const status = readStatus(
      headers({ 'grpc-status': '3', 'grpc-message': 'bad%20span%3A%20%E2%9C%93 caf%C3%A9%25' }),
    );
    expect(status?.message).toBe('bad span: ✓ café%');
  });

  it('carries RetryInfo from grpc-status-details-bin', () => {
    const status = readStatus(
      headers({
        'grpc-status': '8',
        'grpc-status-details-bin': statusDetails({ seconds: 0n, nanos: 250_000_000 }),
      }),
    );
    expect(status).toEqual({ code: Code.ResourceExhausted, message: '', retryDelayMs: 250 });
  });
});

describe('percentDecode', () => {
  it('keeps malformed escapes as sent and decodes the rest', () => {
    expect(percentDecode('100%')).toBe('100%');
    expect(percentDecode('%zz and %41')).toBe('%zz and A');
    expect(percentDecode('half %E2%9C then %C3%A9')).toBe('half %E2%9C then é');
    expect(percentDecode('plain')).toBe('plain');
  });
});

describe('codeFromHttpStatus', () => {
  it('follows gRPC http-grpc-status-mapping', () => {
    const table: [number, Code][] = [
      [400, Code.Internal],
      [401, Code.Unauthenticated],
      [403, Code.PermissionDenied],
      [404, Code.Unimplemented],
      [429, Code.Unavailable],
      [502, Code.Unavailable],
      [503, Code.Unavailable],
      [504, Code.Unavailable],
      [500, Code.Unknown],
      [302, Code.Unknown],
      [200, Code.Unknown],
    ];
    for (const [http, code] of table)
      expect([http, codeFromHttpStatus(http)]).toEqual([http, code]);
  });
});
