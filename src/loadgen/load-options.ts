import { parseArgs } from 'node:util';
import { INVALID_ARGUMENT } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

/** What one load run sends, and how. */
export interface LoadOptions {
  /** `grpc` (Node HTTP/2) or `grpc-web` (fetch). */
  transport: 'grpc' | 'grpc-web';
  /** Endpoint base URL. */
  url: string;
  /** Spans to send. @default 0 */
  traces: number;
  /** Log records to send. @default 0 */
  logs: number;
  /** Metric data points to send. @default 0 */
  metrics: number;
  /** Items per export request. @default 512 */
  batch: number;
  /** @default 'none' */
  compression: 'gzip' | 'none';
  /** Exports in flight at once. @default 4 */
  concurrency: number;
  /** Extra request headers (auth). @default {} */
  headers: Record<string, string>;
  /** Per-export deadline, retries included. @default 10000 */
  timeoutMs: number;
  /** PRNG seed, for reproducible payloads. @default 1 */
  seed: number;
}

export const usage = `usage: otlp-loadgen --transport grpc|grpc-web --url URL [--traces N] [--logs N]
       [--metrics N] [--batch 512] [--compression gzip|none] [--concurrency 4]
       [--header k=v ...] [--timeout-ms 10000] [--seed 1]

Makes real OpenTelemetry SDK spans, log records and metrics, sends them through the
otlp-grpc-web OTel exporters (OTLPTraceExporter, OTLPLogExporter, OTLPMetricExporter) and
prints a JSON summary as its last line. Exits 1 when anything was dropped, failed or
rejected, 2 on bad arguments.`;

function count(flag: string, raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new OtlpError(`--${flag} must be an integer >= ${min}, got "${raw}"`, INVALID_ARGUMENT);
  }
  return n;
}

/** Parses otlp-loadgen's arguments; throws an OtlpError(InvalidArgument) naming the bad flag. */
export function parseLoadArgs(argv: string[]): LoadOptions | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new OtlpError((error as Error).message, INVALID_ARGUMENT);
  }
  const v = parsed.values;
  if (v.help) return 'help';
  if (v.transport !== 'grpc' && v.transport !== 'grpc-web') {
    throw new OtlpError(
      `--transport must be grpc or grpc-web, got "${v.transport ?? ''}"`,
      INVALID_ARGUMENT,
    );
  }
  if (!v.url || !/^https?:\/\//.test(v.url)) {
    throw new OtlpError(
      `--url must be an http:// or https:// URL, got "${v.url ?? ''}"`,
      INVALID_ARGUMENT,
    );
  }
  const compression = v.compression ?? 'none';
  if (compression !== 'gzip' && compression !== 'none') {
    throw new OtlpError(
      `--compression must be gzip or none, got "${compression}"`,
      INVALID_ARGUMENT,
    );
  }
  const headers: Record<string, string> = {};
  for (const pair of v.header ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new OtlpError(`--header must be key=value, got "${pair}"`, INVALID_ARGUMENT);
    headers[pair.slice(0, eq).trim().toLowerCase()] = pair.slice(eq + 1).trim();
  }
  const options: LoadOptions = {
    transport: v.transport,
    url: v.url,
    traces: count('traces', v.traces, 0),
    logs: count('logs', v.logs, 0),
    metrics: count('metrics', v.metrics, 0),
    batch: count('batch', v.batch, 512, 1),
    compression,
    concurrency: count('concurrency', v.concurrency, 4, 1),
    headers,
    timeoutMs: count('timeout-ms', v['timeout-ms'], 10_000, 1),
    seed: count('seed', v.seed, 1, 1),
  };
  if (options.traces + options.logs + options.metrics === 0) {
    throw new OtlpError('nothing to send: give --traces, --logs or --metrics', INVALID_ARGUMENT);
  }
  return options;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      transport: { type: 'string' },
      url: { type: 'string' },
      traces: { type: 'string' },
      logs: { type: 'string' },
      metrics: { type: 'string' },
      batch: { type: 'string' },
      compression: { type: 'string' },
      concurrency: { type: 'string' },
      header: { type: 'string', multiple: true },
      'timeout-ms': { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
