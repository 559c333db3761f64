// The estimate that lets the receiver refuse a request too costly to decode before
// decoding it: close to what decoding really keeps, and never a verdict on validity.
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { ExportTraceServiceRequestSchema } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service_pb.js';
import { estimateDecodedBytes } from '../../src/receiver/server/decode-budget.js';
import { retainedSize } from '../../src/receiver/server/retained-size.js';
import { traceRequest } from '../helpers/otlp-fixtures.js';
import { repeated, spanRequest } from '../helpers/receiver-attacks.js';

const estimate = (payload: Uint8Array) =>
  estimateDecodedBytes(ExportTraceServiceRequestSchema, payload, true);
const decoded = (payload: Uint8Array) =>
  payload.length + retainedSize(fromBinary(ExportTraceServiceRequestSchema, payload));

describe('estimated decoded size', () => {
  it('is within a factor of two of what decoding keeps, for spans and for attribute bombs', () => {
    for (const payload of [
      toBinary(ExportTraceServiceRequestSchema, traceRequest(200, { padding: 10 })),
      spanRequest(repeated(100_000, 0x4a, 0x00)),
    ]) {
      const ratio = estimate(payload) / decoded(payload);
      expect(ratio).toBeGreaterThan(0.5);
      expect(ratio).toBeLessThan(2);
    }
  });

  it('counts a million empty attributes as far more than their 2 MB', () => {
    expect(estimate(spanRequest(repeated(1_000_000, 0x4a, 0x00)))).toBeGreaterThan(64 << 20);
  });

  it('counts the objects of a JSON request: a million empty attributes in 3 MB of text', () => {
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[${'{},'.repeat(1_000_000)}{}]}]}]}]}`;
    const json = new TextEncoder().encode(text);
    const bytes = estimateDecodedBytes(ExportTraceServiceRequestSchema, json, false);
    expect(bytes).toBeGreaterThan(64 << 20);
    const small = new TextEncoder().encode('{"resourceSpans":[]}');
    expect(estimateDecodedBytes(ExportTraceServiceRequestSchema, small, false)).toBeLessThan(1024);
  });

  it('never throws on bytes it cannot follow', () => {
    for (const bytes of [
      Uint8Array.of(0x0a, 0xff),
      Uint8Array.of(0xff, 0xff, 0xff),
      Uint8Array.of(0x0b),
    ]) {
      expect(estimate(bytes)).toBeGreaterThanOrEqual(bytes.length);
    }
  });
});
