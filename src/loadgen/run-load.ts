import { createOtlpClient, type OtlpClient } from '../client/otlp-client.js';
import {
  type EncodedRequest,
  encodeLogsRequest,
  encodeMetricsRequest,
  encodeTraceRequest,
} from '../client/request-codecs.js';
import type { Compression } from '../core/compression.js';
import { isOtlpError } from '../core/otlp-error.js';
import type { Transport } from '../core/transport.js';
import { createGrpcTransport } from '../node/grpc-transport.js';
import { gzipCompression as zlibGzip } from '../node/zlib-compression.js';
import { pickCompression } from '../web/compression.js';
import { createGrpcWebTransport } from '../web/grpc-web-transport.js';
import type { LoadOptions } from './load-options.js';
import { createRandom, syntheticLogs, syntheticMetrics, syntheticTraces } from './synthetic.js';

type Signal = 'traces' | 'metrics' | 'logs';

/** Per-signal outcome of a load run, in items. */
export interface SignalSummary {
  /** Items the receiver acknowledged (including any it rejected through partial_success). */
  sent: number;
  /** Items in exports that failed after retries. */
  failed: number;
  /** Items the receiver refused through partial_success. */
  rejected: number;
  /** Items the pipeline dropped, by any reason (includes `failed`). */
  dropped: number;
}

/** The JSON line otlp-loadgen prints last. */
export interface LoadSummary {
  transport: LoadOptions['transport'];
  url: string;
  compression: string;
  traces: SignalSummary;
  metrics: SignalSummary;
  logs: SignalSummary;
  retries: number;
  /** Bytes on the wire (after compression) and before compression. */
  bytesSent: number;
  bytesUncompressed: number;
  /** First error seen, to say why something failed. */
  firstError?: string;
  seconds: number;
  itemsPerSecond: number;
}

/** The transport and compression a load run uses, chosen by name. */
export function transportFor(options: Pick<LoadOptions, 'transport' | 'compression'>): {
  transport: Transport;
  compression: Compression | undefined;
} {
  if (options.transport === 'grpc') {
    return {
      transport: createGrpcTransport(),
      compression: options.compression === 'gzip' ? zlibGzip() : undefined,
    };
  }
  return { transport: createGrpcWebTransport(), compression: pickCompression(options.compression) };
}

function batches(
  total: number,
  size: number,
  make: (n: number, random: () => number, now: bigint) => unknown,
  encode: (input: never) => EncodedRequest,
  random: () => number,
): EncodedRequest[] {
  const out: EncodedRequest[] = [];
  const now = BigInt(Date.now()) * 1_000_000n;
  for (let done = 0; done < total; done += size) {
    out.push(encode(make(Math.min(size, total - done), random, now) as never));
  }
  return out;
}

/**
 * Runs one load: builds every request up front (so the timing measures the pipeline
 * and the transport, not the generator), then sends them with `concurrency` exports in
 * flight, through the same client and pipeline users get.
 */
export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  const random = createRandom(options.seed);
  const work: { signal: Signal; request: EncodedRequest }[] = [];
  const add = (signal: Signal, requests: EncodedRequest[]) => {
    for (const request of requests) work.push({ signal, request });
  };
  add(
    'traces',
    batches(options.traces, options.batch, syntheticTraces, encodeTraceRequest, random),
  );
  add('logs', batches(options.logs, options.batch, syntheticLogs, encodeLogsRequest, random));
  add(
    'metrics',
    batches(options.metrics, options.batch, syntheticMetrics, encodeMetricsRequest, random),
  );

  const { transport, compression } = transportFor(options);
  const client: OtlpClient = createOtlpClient({
    transport,
    url: options.url,
    headers: options.headers,
    timeoutMs: options.timeoutMs,
    maxConcurrentExports: options.concurrency,
    ...(compression ? { compression } : {}),
  });
  const summary = { traces: zero(), metrics: zero(), logs: zero() };
  let firstError: string | undefined;
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const { signal, request } = work[next++]!;
      try {
        const result = await client[signal].exportEncoded(request);
        summary[signal].sent += request.count;
        summary[signal].rejected += result.rejected;
        if (result.rejected > 0) firstError ??= `partial success: ${result.message}`;
      } catch (error) {
        summary[signal].failed += request.count;
        firstError ??= isOtlpError(error) ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, work.length) }, worker));
  const seconds = (performance.now() - started) / 1000;
  let retries = 0;
  let bytesSent = 0;
  let bytesUncompressed = 0;
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    const m = client[signal].metrics();
    retries += m.retries;
    bytesSent += m.bytesSent;
    bytesUncompressed += m.bytesUncompressed;
    summary[signal].dropped = Object.values(m.droppedByReason).reduce((a, b) => a + b, 0);
  }
  await client.shutdown();
  const items = summary.traces.sent + summary.metrics.sent + summary.logs.sent;
  return {
    transport: options.transport,
    url: options.url,
    compression: compression?.name ?? 'identity',
    ...summary,
    retries,
    bytesSent,
    bytesUncompressed,
    ...(firstError === undefined ? {} : { firstError }),
    seconds: Math.round(seconds * 1000) / 1000,
    itemsPerSecond: Math.round(items / seconds),
  };
}

function zero(): SignalSummary {
  return { sent: 0, failed: 0, rejected: 0, dropped: 0 };
}

/** True when the run lost anything: the CLI exits non-zero then. */
export function lostAnything(summary: LoadSummary): boolean {
  return [summary.traces, summary.metrics, summary.logs].some(
    (s) => s.failed > 0 || s.dropped > 0 || s.rejected > 0,
  );
}
