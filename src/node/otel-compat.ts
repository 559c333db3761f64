import { INVALID_ARGUMENT } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';
import type { OtlpExporterOptions } from '../otel/exporter-options.js';
import { mergeHeaders, reportOption } from '../otel/otel-options.js';

/**
 * `@grpc/grpc-js` Metadata, as OpenTelemetry's gRPC exporters take it (`metadata`): read
 * through `getMap()`, so this package needs no grpc-js.
 */
export interface MetadataLike {
  getMap(): Record<string, unknown>;
}

/** OpenTelemetry's options that these exporters read differently, or not at all. */
export interface OtelCompatOptions {
  /**
   * gRPC metadata, as OpenTelemetry's gRPC exporters take it: a `@grpc/grpc-js` Metadata
   * (read through `getMap()`) or a plain record of strings. Sent as request headers,
   * under `headers` (which win for a name both set).
   * @default undefined
   */
  metadata?: MetadataLike | Record<string, string>;
}

// OpenTelemetry exporter options with no meaning here, and what to do instead.
const IGNORED: Record<string, string> = {
  httpAgentOptions: 'OTLP/HTTP only; for HTTP/2 see createGrpcTransport()',
  keepAlive: 'HTTP/2 sessions are kept alive anyway',
  selfObsMeterProvider: 'use recordSelfMetrics(meter, exporter)',
};

/**
 * Maps OpenTelemetry's Node exporter options onto this package's: `metadata` becomes
 * headers; `httpAgentOptions`, `keepAlive` and `selfObsMeterProvider` are reported (a
 * warning naming the option and the alternative, or a throw with `strict`) and left out.
 * Every other key goes on to the shared exporter, which reports unknown ones.
 */
export function fromOtelOptions<O extends OtlpExporterOptions>(options: O & OtelCompatOptions): O {
  const { metadata, ...rest } = options;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    const why = IGNORED[key];
    if (why === undefined) out[key] = value;
    else if (value !== undefined) reportOption(key, why, options.strict);
  }
  if (metadata) out.headers = mergeHeaders(metadataHeaders(metadata), options.headers);
  return out as O;
}

/** grpc-js Metadata (or a plain record) as headers; binary values cannot be carried. */
function metadataHeaders(metadata: MetadataLike | Record<string, string>): Record<string, string> {
  const map: Record<string, unknown> =
    typeof metadata.getMap === 'function'
      ? (metadata as MetadataLike).getMap()
      : (metadata as Record<string, unknown>);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'string') {
      throw new OtlpError(
        `option "metadata": "${key}" is binary; put it base64-encoded in "headers"`,
        INVALID_ARGUMENT,
      );
    }
    headers[key] = value;
  }
  return headers;
}
