import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { Compression } from '../core/compression.js';
import { isOtlpError } from '../core/otlp-error.js';
import type { Transport } from '../core/transport.js';
import { countDataPoints } from '../encode/metrics.js';
import { createGrpcTransport } from '../node/grpc-transport.js';
import { gzipCompression as zlibGzip } from '../node/zlib-compression.js';
import type { ExportResult } from '../otel/exporter-options.js';
import { pickCompression } from '../web/compression.js';
import { createGrpcWebTransport } from '../web/grpc-web-transport.js';
import { OTLPLogExporter, OTLPMetricExporter, OTLPTraceExporter } from '../web/otel-exporters.js';
import type { LoadOptions } from './load-options.js';
import { sdkLogs, sdkMetrics, sdkSpans } from './sdk-telemetry.js';
import { createRandom } from './synthetic.js';

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

type AnyExporter = OTLPTraceExporter | OTLPLogExporter | OTLPMetricExporter;

/** Items of one export: the SDK objects and how many spans, records or points they hold. */
interface Work {
  signal: Signal;
  items: unknown;
  count: number;
}

/**
 * Builds every export up front, as real SDK objects (so the timing measures the exporter,
 * its encoder, the pipeline and the transport, not the generator): spans and log records
 * in batches of `batch`, metrics as collections of `batch` data points.
 */
async function buildWork(options: LoadOptions, random: () => number): Promise<Work[]> {
  const work: Work[] = [];
  const spans = sdkSpans(options.traces, random);
  for (let i = 0; i < spans.length; i += options.batch) {
    const items = spans.slice(i, i + options.batch);
    work.push({ signal: 'traces', items, count: items.length });
  }
  const logs = sdkLogs(options.logs, random);
  for (let i = 0; i < logs.length; i += options.batch) {
    const items = logs.slice(i, i + options.batch);
    work.push({ signal: 'logs', items, count: items.length });
  }
  const collections = new Map<number, ResourceMetrics>();
  for (let done = 0; done < options.metrics; done += options.batch) {
    const n = Math.min(options.batch, options.metrics - done);
    let rm = collections.get(n);
    if (!rm) {
      rm = await sdkMetrics(n, random);
      collections.set(n, rm);
    }
    work.push({ signal: 'metrics', items: rm, count: countDataPoints(rm) });
  }
  return work;
}

/**
 * Runs one load: builds every export up front, then hands them to this package's OTel
 * SDK exporters (OTLPTraceExporter, OTLPLogExporter, OTLPMetricExporter, over the chosen
 * transport) with `concurrency` exports in flight: the path users run.
 */
export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  const random = createRandom(options.seed);
  const work = await buildWork(options, random);
  const { transport, compression } = transportFor(options);
  const common = {
    url: options.url,
    transport,
    headers: options.headers,
    timeoutMillis: options.timeoutMs,
    compression: compression ?? ('none' as const),
    // The exporters refuse exports past this many in flight; the load keeps `concurrency`.
    concurrencyLimit: options.concurrency + 1,
  };
  const exporters: Record<Signal, AnyExporter> = {
    traces: new OTLPTraceExporter(common),
    logs: new OTLPLogExporter(common),
    metrics: new OTLPMetricExporter(common),
  };
  const summary = { traces: zero(), metrics: zero(), logs: zero() };
  let firstError: string | undefined;
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const { signal, items, count } = work[next++]!;
      const result = await new Promise<ExportResult>((resolve) =>
        (exporters[signal] as { export(i: unknown, cb: (r: ExportResult) => void): void }).export(
          items,
          resolve,
        ),
      );
      if (result.code === 0) summary[signal].sent += count;
      else {
        summary[signal].failed += count;
        const e = result.error;
        firstError ??= isOtlpError(e) ? e.message : String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, work.length) }, worker));
  const seconds = (performance.now() - started) / 1000;
  let retries = 0;
  let bytesSent = 0;
  let bytesUncompressed = 0;
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    const m = exporters[signal].metrics();
    retries += m.retries;
    bytesSent += m.bytesSent;
    bytesUncompressed += m.bytesUncompressed;
    summary[signal].rejected = m.itemsRejected;
    if (m.itemsRejected > 0) firstError ??= `partial success: ${m.lastError?.message ?? ''}`;
    summary[signal].dropped = Object.values(m.droppedByReason).reduce((a, b) => a + b, 0);
  }
  await Promise.all(Object.values(exporters).map((e) => e.shutdown()));
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
