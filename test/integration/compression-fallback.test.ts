import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Compression } from '../../src/core/compression.js';
import type { Transport, TransportResult } from '../../src/core/transport.js';
import { createGrpcTransport } from '../../src/node/grpc-transport.js';
import { gzipCompression } from '../../src/node/zlib-compression.js';
import { type Receiver, startReceiver } from '../../src/receiver/index.js';
import { createGrpcWebTransport } from '../../src/web/grpc-web-transport.js';
import { type ExportResult, OTLPTraceExporter } from '../../src/web/index.js';
import { makeRealisticSpans } from '../unit/encode-fixtures.js';

// The receiver runs on Node 20, whose zlib has no zstd: it answers a zstd request with
// UNIMPLEMENTED and the encodings it has (grpc-accept-encoding: gzip). The exporter resends
// at once with its gzip fallback, and keeps to gzip afterwards.
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver({ port: 0 });
});
afterAll(() => receiver.close());

/** A stand-in for Bun's zstd: the receiver refuses it before reading a byte. */
const fakeZstd: Compression = {
  name: 'zstd',
  compress: async (data) => data,
  fallback: gzipCompression(),
};

/** Records what each call sent and got back. */
function recording(inner: Transport) {
  const calls: { encoding: string; result: TransportResult }[] = [];
  const transport: Transport = {
    name: inner.name,
    async send(request) {
      const result = await inner.send(request);
      calls.push({ encoding: request.encoding, result });
      return result;
    },
    close: () => inner.close(),
  };
  return { transport, calls };
}

const transports = [
  { name: 'grpc (HTTP/2)', make: () => createGrpcTransport() },
  { name: 'grpc-web (fetch)', make: () => createGrpcWebTransport() },
];

describe.each(transports)('zstd refused over $name', ({ make }) => {
  it('falls back to gzip at once, delivers every span, and stays on gzip', async () => {
    receiver.sinks.clear();
    const { transport, calls } = recording(make());
    const errors: unknown[] = [];
    const exporter = new OTLPTraceExporter({
      url: receiver.url,
      transport,
      compression: fakeZstd,
      compressionMinBytes: 0,
      onError: (error) => errors.push(error),
    });
    const spans = makeRealisticSpans(20);
    const exportOnce = (batch: typeof spans) =>
      new Promise<ExportResult>((resolve) => exporter.export(batch, resolve));
    expect(await exportOnce(spans.slice(0, 10))).toEqual({ code: 0 });
    expect(await exportOnce(spans.slice(10))).toEqual({ code: 0 });
    await exporter.shutdown();

    expect(calls.map((c) => [c.encoding, c.result.code])).toEqual([
      ['zstd', 12],
      ['gzip', 0],
      ['gzip', 0],
    ]);
    expect(calls[0]!.result.acceptEncoding).toContain('gzip');
    expect(errors).toEqual([]);
    expect(exporter.metrics()).toMatchObject({
      itemsSent: 20,
      // The one resend with gzip, at once (no backoff).
      retries: 1,
      exportsFailed: 0,
      droppedByReason: { non_retryable: 0 },
    });
    const stored = receiver.sinks.listSpans({ afterSeq: 0n, limit: 100, traceIdHex: '' } as never);
    expect(stored.spans).toHaveLength(20);
  });
});
