import { type OtlpEnv, type OtlpEnvOptions, readOtlpEnv, reporter } from '../config/otlp-env.js';
import { INVALID_ARGUMENT } from '../core/code.js';
import { checkEndpointUrl } from '../core/endpoint-url.js';
import { OtlpError } from '../core/otlp-error.js';
import type { Signal } from '../core/signal-codec.js';
import type { OtlpExporterOptions } from '../otel/exporter-options.js';
import { checkOptions } from '../otel/otel-options.js';
import { OTLPLogExporter, OTLPTraceExporter } from '../web/otel-exporters.js';

/** How long Cloudflare lets `ctx.waitUntil` work run after the response: 30 s. */
export const WAIT_UNTIL_BUDGET_MS = 30_000;

/** Options of {@link createEdgeExporters}; exporter options here win over the bindings. */
export interface EdgeExportersOptions extends OtlpExporterOptions {
  /**
   * The time the platform gives work after the response. The export deadline
   * (`timeoutMillis`, retries included) must be shorter, so an export ends, and is
   * counted, before the platform cuts it off unseen.
   * @default WAIT_UNTIL_BUDGET_MS (30000)
   */
  budgetMs?: number;
  /**
   * Called for every drop (deadline, refusal, backend down), with the reason.
   * @default one JSON line per drop on console.warn: `{"event":"otlp.export.dropped",...}`,
   * which `wrangler tail`, Deno Deploy and Vercel logs show
   */
  onError?: NonNullable<OtlpExporterOptions['onError']>;
}

/** The trace and log exporters of an edge worker. */
export interface EdgeExporters {
  traces: OTLPTraceExporter;
  logs: OTLPLogExporter;
}

/**
 * Builds the trace and log exporters from a Worker's bindings (or Deno.env.toObject(),
 * or a bundler-inlined process.env): the OTEL_EXPORTER_OTLP_* variables of the OTel
 * specification, read by {@link readOtlpEnv} since edge runtimes have no process.env.
 * The transport is gRPC-web over fetch, the only gRPC fetch can carry.
 *
 * Throws OtlpError(InvalidArgument) naming the problem for settings that cannot work
 * here: no endpoint, or a deadline not shorter than the waitUntil budget. A malformed
 * variable, a non-gRPC PROTOCOL and TLS file variables (edge runtimes use the platform's
 * trust store) are warned about and ignored, as the OpenTelemetry specification asks;
 * with `strict: true` they throw too.
 *
 * @example
 * const { traces, logs } = createEdgeExporters(env); // env.OTEL_EXPORTER_OTLP_ENDPOINT, ...
 */
export function createEdgeExporters(
  env: OtlpEnv,
  options: EdgeExportersOptions = {},
): EdgeExporters {
  return {
    traces: new OTLPTraceExporter(edgeExporterOptions('traces', env, options)),
    logs: new OTLPLogExporter(edgeExporterOptions('logs', env, options)),
  };
}

/** Default export deadline: OTLP's 10 s, well inside the 30 s budget. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * One signal's exporter options from `env` and `options`, checked for the edge. Shared
 * with the metrics exporter (edge-metrics.ts).
 */
export function edgeExporterOptions(
  signal: Signal,
  env: OtlpEnv,
  options: EdgeExportersOptions,
): OtlpExporterOptions {
  const { budgetMs = WAIT_UNTIL_BUDGET_MS, ...given } = options;
  const exporter = checkOptions(given);
  const strict = exporter.strict ?? false;
  const fromEnv: OtlpEnvOptions = readOtlpEnv(signal, env, { strict });
  const report = reporter({ strict });
  const variable = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_* or OTEL_EXPORTER_OTLP_*`;
  if (fromEnv.protocol !== undefined && fromEnv.protocol !== 'grpc') {
    report(
      new OtlpError(
        `PROTOCOL (${variable}) is "${fromEnv.protocol}", but this exporter speaks OTLP/gRPC (as gRPC-web over fetch): set it to "grpc" or leave it unset`,
        INVALID_ARGUMENT,
      ),
    );
  }
  if (fromEnv.tls) {
    report(
      new OtlpError(
        `CERTIFICATE / CLIENT_CERTIFICATE / CLIENT_KEY (${variable}) name files, which edge runtimes cannot read; fetch uses the platform's trust store, so unset them`,
        INVALID_ARGUMENT,
      ),
    );
  }
  const url = exporter.url ?? fromEnv.url;
  if (url === undefined) {
    throw new OtlpError(
      `no OTLP endpoint for ${signal}: set the OTEL_EXPORTER_OTLP_ENDPOINT binding (e.g. https://otlp.example.com, an Envoy gRPC-web listener or the receiver) or pass "url"`,
      INVALID_ARGUMENT,
    );
  }
  for (const endpoint of [url].flat()) checkEndpointUrl(endpoint);
  const timeoutMillis = exporter.timeoutMillis ?? fromEnv.timeoutMillis ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMillis < budgetMs)) {
    throw new OtlpError(
      `export deadline of ${timeoutMillis} ms (timeoutMillis or OTEL_EXPORTER_OTLP_TIMEOUT) is not shorter than the ${budgetMs} ms waitUntil budget: exports cut off by the platform would vanish uncounted`,
      INVALID_ARGUMENT,
    );
  }
  const own = exporter.headers;
  // Per-attempt headers (tokens that expire) still get the bindings' headers underneath.
  const headers =
    typeof own === 'function'
      ? async () => ({ ...fromEnv.headers, ...(await own()) })
      : { ...fromEnv.headers, ...own };
  return {
    ...exporter,
    url,
    headers,
    timeoutMillis,
    compression: exporter.compression ?? fromEnv.compression ?? 'gzip',
    onError: exporter.onError ?? warnDrop,
  };
}

/**
 * Default onError: one console line per drop, which is what `wrangler tail`, Deno Deploy
 * and Vercel logs show. JSON, so log pipelines can pick it apart.
 */
function warnDrop(error: OtlpError, info: { signal: string; items: number; reason: string }): void {
  console.warn(
    JSON.stringify({
      event: 'otlp.export.dropped',
      signal: info.signal,
      items: info.items,
      reason: info.reason,
      code: error.code,
      message: error.rawMessage,
    }),
  );
}
