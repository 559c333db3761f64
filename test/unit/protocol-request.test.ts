import { create, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ExportLogsServiceResponseSchema } from '../../gen/opentelemetry/proto/collector/logs/v1/logs_service_pb.js';
import { ExportMetricsServiceResponseSchema } from '../../gen/opentelemetry/proto/collector/metrics/v1/metrics_service_pb.js';
import { ExportTraceServiceResponseSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { Code } from '../../src/core/code.js';
import { OtlpError } from '../../src/core/otlp-error.js';
import type { TransportRequest } from '../../src/core/transport.js';
import {
  decodePartialSuccess,
  decodeUtf8,
  encodeTimeout,
  requestHeaders,
} from '../../src/protocol/index.js';

describe('encodeTimeout', () => {
  it('sends whole milliseconds', () => {
    expect(encodeTimeout(250)).toBe('250m');
    expect(encodeTimeout(10_000)).toBe('10000m');
    expect(encodeTimeout(99_999_999)).toBe('99999999m');
  });

  it('rounds up, never shortening the deadline', () => {
    expect(encodeTimeout(0.000001)).toBe('1m');
    expect(encodeTimeout(299.2)).toBe('300m');
  });

  it('clamps expired and unbounded deadlines', () => {
    expect(encodeTimeout(0)).toBe('1m');
    expect(encodeTimeout(-5)).toBe('1m');
    expect(encodeTimeout(Number.NaN)).toBe('99999999m');
    expect(encodeTimeout(100_000_000)).toBe('99999999m');
    expect(encodeTimeout(Number.POSITIVE_INFINITY)).toBe('99999999m');
    expect(encodeTimeout(1e30)).toBe('99999999m');
  });

  it('never exceeds 8 digits', () => {
    for (let ms = 1e-6; ms < 1e20; ms *= 3.7) {
      expect(encodeTimeout(ms)).toMatch(/^[1-9]\d{0,7}m$/);
    }
  });
});

describe('requestHeaders', () => {
  const request: TransportRequest = {
    url: 'http://x',
    path: '/p',
    body: new Uint8Array(0),
    encoding: 'gzip',
    headers: { 'user-agent': 'OTel-OTLP-Exporter-JavaScript/0.1.0', authorization: 'Bearer t' },
    timeoutMs: 10_000,
  };

  it('builds native gRPC headers', () => {
    expect(requestHeaders(request, false)).toEqual({
      'content-type': 'application/grpc+proto',
      te: 'trailers',
      'grpc-encoding': 'gzip',
      'grpc-accept-encoding': 'identity',
      'grpc-timeout': '10000m',
      'user-agent': 'OTel-OTLP-Exporter-JavaScript/0.1.0',
      authorization: 'Bearer t',
    });
  });

  it('builds gRPC-web headers with the UA in x-user-agent', () => {
    expect(requestHeaders(request, true)).toEqual({
      'content-type': 'application/grpc-web+proto',
      'x-grpc-web': '1',
      'grpc-encoding': 'gzip',
      'grpc-accept-encoding': 'identity',
      'grpc-timeout': '10000m',
      'x-user-agent': 'OTel-OTLP-Exporter-JavaScript/0.1.0',
      authorization: 'Bearer t',
    });
  });

  it('omits grpc-encoding for identity and grpc-timeout without a finite deadline', () => {
    const headers = requestHeaders(
      { ...request, encoding: 'identity', timeoutMs: Number.POSITIVE_INFINITY },
      true,
    );
    expect(headers['grpc-encoding']).toBeUndefined();
    expect(headers['grpc-timeout']).toBeUndefined();
  });

  it('lowercases user headers and keeps protocol headers authoritative', () => {
    const headers = requestHeaders(
      {
        ...request,
        encoding: 'identity',
        headers: { 'X-Tenant': 'a', 'Content-Type': 'text/plain', 'grpc-encoding': 'br', te: 'x' },
      },
      false,
    );
    expect(headers['x-tenant']).toBe('a');
    expect(headers['content-type']).toBe('application/grpc+proto');
    expect(headers.te).toBe('trailers');
    expect(headers['grpc-encoding']).toBeUndefined();
    expect(Object.keys(headers)).not.toContain('Content-Type');
  });
});

describe('decodePartialSuccess', () => {
  it('is all-accepted for an empty body', () => {
    expect(decodePartialSuccess(new Uint8Array(0))).toEqual({ rejected: 0, message: '' });
  });

  it('decodes gen-encoded responses of all three signals', () => {
    const trace = toBinary(
      ExportTraceServiceResponseSchema,
      create(ExportTraceServiceResponseSchema, {
        partialSuccess: { rejectedSpans: 3n, errorMessage: 'spans too old ✓' },
      }),
    );
    const metrics = toBinary(
      ExportMetricsServiceResponseSchema,
      create(ExportMetricsServiceResponseSchema, {
        partialSuccess: { rejectedDataPoints: 9_007_199_254_740_991n, errorMessage: 'm' },
      }),
    );
    const logs = toBinary(
      ExportLogsServiceResponseSchema,
      create(ExportLogsServiceResponseSchema, { partialSuccess: { rejectedLogRecords: 0n } }),
    );
    expect(decodePartialSuccess(trace)).toEqual({ rejected: 3, message: 'spans too old ✓' });
    expect(decodePartialSuccess(metrics)).toEqual({
      rejected: 9_007_199_254_740_991,
      message: 'm',
    });
    expect(decodePartialSuccess(logs)).toEqual({ rejected: 0, message: '' });
  });

  it('skips unknown fields of every wire type', () => {
    const body = Uint8Array.of(
      // field 2 varint, field 3 fixed64, field 4 fixed32, field 5 bytes
      0x10,
      0x96,
      0x01,
      0x19,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      0x25,
      1,
      2,
      3,
      4,
      0x2a,
      2,
      9,
      9,
      // field 1 { field 9 varint 1, field 1 = 7, field 2 = "ok" }
      0x0a,
      8,
      0x48,
      1,
      0x08,
      7,
      0x12,
      2,
      0x6f,
      0x6b,
    );
    expect(decodePartialSuccess(body)).toEqual({ rejected: 7, message: 'ok' });
  });

  it('throws Internal naming where malformed bytes are', () => {
    let error: unknown;
    try {
      decodePartialSuccess(Uint8Array.of(0x0a, 10, 0x08));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OtlpError);
    expect((error as OtlpError).code).toBe(Code.Internal);
    expect((error as OtlpError).rawMessage).toMatch(/malformed protobuf at byte 2/);
    // Wire type 3 (a group) is not one protobuf's current messages use.
    expect(() => decodePartialSuccess(Uint8Array.of(0x0b))).toThrow(/malformed protobuf at byte 1/);
  });
});

describe('decodeUtf8', () => {
  it('decodes multi-byte text and degrades on malformed bytes', () => {
    expect(decodeUtf8(Buffer.from('héllo ✓ 𝄞'))).toBe('héllo ✓ 𝄞');
    expect(decodeUtf8(Uint8Array.of(0x61, 0xff, 0x62))).toBe('a\ufffdb');
    expect(decodeUtf8(new Uint8Array(0))).toBe('');
  });
});
