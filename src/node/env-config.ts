import {
  type OtlpEnv,
  type OtlpEnvOptions,
  type OtlpEnvTls,
  type OtlpSignal,
  readOtlpEnv as readEnv,
} from '../config/otlp-env.js';
import { Code } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';
import type { TemporalityPreference } from '../otel/metric-exporter.js';

export type { OtlpEnv, OtlpEnvOptions, OtlpEnvTls, OtlpSignal } from '../config/otlp-env.js';

/**
 * {@link readEnv} with Node's `process.env` as the default environment: the
 * OTEL_EXPORTER_OTLP_* variables for one signal, spread-ready into exporter options, `tls`
 * ready for `createGrpcTransport({ tls })`. An invalid value throws OtlpError naming the
 * variable.
 */
export function readOtlpEnv(signal: OtlpSignal, env: OtlpEnv = process.env): OtlpEnvOptions {
  return readEnv(signal, env);
}

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
  /**
   * Set when OTEL_EXPORTER_OTLP_(signal_)PROTOCOL asks for OTLP/HTTP: the error to throw
   * unless the caller chose a transport explicitly. These exporters speak OTLP/gRPC only,
   * and quietly sending gRPC to an OTLP/HTTP endpoint would fail every export.
   */
  protocolError?: OtlpError;
}

/**
 * Reads the environment of one `otlp-grpc-web/node` exporter: {@link readOtlpEnv} plus
 * OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE for metrics. Throws OtlpError
 * (InvalidArgument) naming a malformed variable.
 */
export function readExporterEnv(signal: OtlpSignal, env: OtlpEnv = process.env): ExporterEnv {
  const { protocol, tls, insecure: _, ...options } = readEnv(signal, env);
  const out: ExporterEnv = { options };
  if (tls) out.tls = tls;
  if (protocol && protocol !== 'grpc') {
    const specific = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`;
    const name =
      typeof env[specific] === 'string' && env[specific] ? specific : 'OTEL_EXPORTER_OTLP_PROTOCOL';
    out.protocolError = new OtlpError(
      `${name}=${JSON.stringify(protocol)}: the otlp-grpc-web exporters speak OTLP/gRPC only; set it to "grpc", or use OpenTelemetry's OTLP/HTTP exporters`,
      Code.InvalidArgument,
    );
  }
  const name = 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE';
  const raw = env[name];
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (signal === 'metrics' && value) {
    if (value !== 'cumulative' && value !== 'delta' && value !== 'lowmemory') {
      throw new OtlpError(
        `${name}=${JSON.stringify(raw)} is invalid: expected one of "cumulative", "delta", "lowmemory"`,
        Code.InvalidArgument,
      );
    }
    out.options.temporalityPreference = value;
  }
  return out;
}
