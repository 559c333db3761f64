import {
  type OtlpEnv,
  type OtlpEnvTls,
  type ReadOtlpEnvOptions,
  readOtlpEnv,
  reporter,
} from '../config/otlp-env.js';
import { INVALID_ARGUMENT } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';
import type { Signal } from '../core/signal-codec.js';
import type { TemporalityPreference } from '../otel/metric-exporter.js';

/** What the environment configures for one of the `otlp-grpc-web/node` exporters. */
export interface ExporterEnv {
  /** `url`, `headers`, `timeoutMillis`, `compression` (and the metrics temporality). */
  options: {
    url?: string;
    headers?: Record<string, string>;
    timeoutMillis?: number;
    compression?: 'gzip' | 'zstd' | 'none';
    temporalityPreference?: TemporalityPreference;
  };
  /** TLS file paths for the native gRPC transport. */
  tls?: OtlpEnvTls;
}

/**
 * Reads the environment of one `otlp-grpc-web/node` exporter: {@link readOtlpEnv} plus
 * OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE for metrics. A PROTOCOL other than
 * `grpc` is reported, not obeyed: these exporters speak OTLP/gRPC only. Unless `strict`,
 * every problem is a warning and the default applies; `explicitTransport` silences the
 * PROTOCOL warning (the caller chose how to send).
 */
export function readExporterEnv(
  signal: Signal,
  env: OtlpEnv = process.env,
  options: ReadOtlpEnvOptions & { explicitTransport?: boolean } = {},
): ExporterEnv {
  const { protocol, tls, insecure: _, ...settings } = readOtlpEnv(signal, env, options);
  const out: ExporterEnv = { options: settings };
  if (tls) out.tls = tls;
  const report = reporter(options);
  if (protocol && protocol !== 'grpc' && !options.explicitTransport) {
    const specific = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`;
    const name =
      typeof env[specific] === 'string' && env[specific] ? specific : 'OTEL_EXPORTER_OTLP_PROTOCOL';
    report(
      new OtlpError(
        `${name}=${JSON.stringify(protocol)}: the otlp-grpc-web exporters speak OTLP/gRPC only (set it to "grpc", or use OpenTelemetry's OTLP/HTTP exporters)`,
        INVALID_ARGUMENT,
      ),
    );
  }
  const name = 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE';
  const raw = env[name];
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (signal === 'metrics' && value) {
    if (value === 'cumulative' || value === 'delta' || value === 'lowmemory') {
      out.options.temporalityPreference = value;
    } else {
      report(
        new OtlpError(
          `${name}=${JSON.stringify(raw)} is invalid: expected one of "cumulative", "delta", "lowmemory"`,
          INVALID_ARGUMENT,
        ),
      );
    }
  }
  return out;
}
