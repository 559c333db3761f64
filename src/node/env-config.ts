import {
  type OtlpEnv,
  type OtlpEnvOptions,
  type OtlpSignal,
  readOtlpEnv as readEnv,
} from '../config/otlp-env.js';

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
