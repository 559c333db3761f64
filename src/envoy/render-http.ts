import { GRPC_WEB_ALLOW_HEADERS, GRPC_WEB_EXPOSE_HEADERS } from '../protocol/cors-headers.js';
import type { NormalizedEnvoyOptions } from './envoy-options.js';

/** The gRPC length-prefix (1 flag byte + 4 length bytes) that precedes each message. */
const ENVELOPE_BYTES = 5;

/** Request headers a browser's gRPC-web exporter sends, gzip and auth included. */
export const corsAllowHeaders = GRPC_WEB_ALLOW_HEADERS;

/** Response headers a browser script must be able to read to learn the gRPC status. */
export const corsExposeHeaders = GRPC_WEB_EXPOSE_HEADERS;

const q = (value: string | number): string => JSON.stringify(String(value));

/** Prefixes every line of `text` with `spaces` spaces. */
export function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

function renderCorsPolicy(o: NormalizedEnvoyOptions): string {
  const origins =
    o.corsOrigins.length === 0
      ? ' []'
      : `\n${o.corsOrigins.map((origin) => `  - exact: ${q(origin)}`).join('\n')}`;
  return `"@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy
allow_origin_string_match:${origins}
allow_methods: "POST"
allow_headers: ${q(corsAllowHeaders.join(','))}
expose_headers: ${q(corsExposeHeaders.join(','))}
max_age: "7200"
# Answer preflights from other origins here (without allow-origin) instead of
# forwarding an OPTIONS request to a gRPC backend that cannot answer it.
forward_not_matching_preflights: false`;
}

function renderRoute(prefix: string): string {
  return `- match:
    prefix: ${q(prefix)}
    # POST carries the calls; OPTIONS must match too, or the CORS filter never sees the
    # preflight (a route matching only \`grpc: {}\` 404s it).
    headers:
      - name: ":method"
        string_match: { safe_regex: { regex: "POST|OPTIONS" } }
  route:
    cluster: otlp_backends
    # No fixed per-route timeout: the call's own grpc-timeout bounds it (capped at 60 s),
    # and calls without one get 30 s.
    timeout: 0s
    max_stream_duration:
      max_stream_duration: 30s
      grpc_timeout_header_max: 60s
    # Retry only what never reached a backend (connection refused, HTTP/2 REFUSED_STREAM),
    # on another host. Exporters retry everything else themselves, with backoff.
    retry_policy:
      retry_on: connect-failure,refused-stream
      num_retries: 2
      retry_back_off: { base_interval: 0.025s, max_interval: 0.25s }
      retry_host_predicate:
        - name: envoy.retry_host_predicates.previous_hosts
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate
      host_selection_retry_max_attempts: 3`;
}

// Envoy answers a gRPC-web call's own failures with plain HTTP statuses (413, 504, 503),
// which Connect-style clients map from the HTTP status alone (413 -> UNKNOWN, 504 ->
// UNAVAILABLE) and without grpc-message. Rewrite them as gRPC Trailers-Only answers
// (HTTP 200, empty body) carrying the right code and a readable message.
function renderLocalReplies(o: NormalizedEnvoyOptions): string {
  const mapper = (op: string, status: number, code: number, message: string): string => `- filter:
    and_filter:
      filters:
        - header_filter:
            header:
              name: content-type
              string_match: { prefix: application/grpc }
        - status_code_filter:
            comparison:
              op: ${op}
              value: { default_value: ${status}, runtime_key: otlp_${status} }
  status_code: 200
  body: { inline_string: "" }
  headers_to_add:
    - header: { key: grpc-status, value: ${q(code)} }
      append_action: OVERWRITE_IF_EXISTS_OR_ADD
    - header:
        key: grpc-message
        value: ${q(message)}
      append_action: OVERWRITE_IF_EXISTS_OR_ADD`;
  const limit = `request message larger than ${o.maxRequestBytes} bytes (proxy limit)`;
  return `mappers:
${indent(
  `# 413 from the buffer filter -> RESOURCE_EXHAUSTED (not retryable: the same batch would fail again).
${mapper('EQ', 413, 8, limit)}
# 504: grpc-timeout or the route's stream duration ran out -> DEADLINE_EXCEEDED.
${mapper('EQ', 504, 4, 'deadline exceeded at the proxy: %RESPONSE_CODE_DETAILS%')}
# 502/503: no healthy backend, connection refused or reset -> UNAVAILABLE (retryable).
${mapper('GE', 502, 14, 'upstream unavailable: %RESPONSE_CODE_DETAILS% %RESPONSE_FLAGS%')}`,
  2,
)}`;
}

/** The HTTP connection manager: routes, CORS, local replies and the filter chain. */
export function renderHttpConnectionManager(o: NormalizedEnvoyOptions): string {
  const accessLog = o.accessLog
    ? `
access_log:
  - name: envoy.access_loggers.stdout
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.access_loggers.stream.v3.StdoutAccessLog`
    : '';
  return `"@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
stat_prefix: otlp_grpc_web
# HTTP/1.1 from browsers and fetch(), HTTP/2 where the client negotiates it.
codec_type: AUTO
# Envoy is the edge: trust the peer address, not a client-supplied x-forwarded-for.
use_remote_address: true
normalize_path: true
merge_slashes: true
# Slow-loris guard: a client must finish sending headers within 10 s.
request_headers_timeout: 10s
common_http_protocol_options:
  idle_timeout: 300s
  headers_with_underscores_action: REJECT_REQUEST
http2_protocol_options:
  max_concurrent_streams: 100
  initial_stream_window_size: 65536
  initial_connection_window_size: 1048576${accessLog}
route_config:
  name: otlp
  virtual_hosts:
    - name: otlp
      domains: ["*"]
      # CorsPolicy here (typed_per_filter_config); the route-level \`cors\` field is deprecated.
      typed_per_filter_config:
        envoy.filters.http.cors:
${indent(renderCorsPolicy(o), 10)}
      routes:
${indent(o.pathPrefixes.map(renderRoute).join('\n'), 8)}
        - match: { prefix: "/" }
          direct_response:
            status: 404
            body: { inline_string: "not an OTLP gRPC method" }
local_reply_config:
${indent(renderLocalReplies(o), 2)}
http_filters:
  # First, so preflights are answered before anything else and every response, local
  # replies included, gets access-control-allow-origin.
  - name: envoy.filters.http.cors
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors
  # gRPC-web <-> gRPC: content-type, base64 (grpc-web-text), trailers as a body frame.
  - name: envoy.filters.http.grpc_web
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.filters.http.grpc_web.v3.GrpcWeb
  # Whole-request size cap, after grpc-web-text decoding: one message + its 5-byte prefix.
  # Oversized requests get 413 (mapped to RESOURCE_EXHAUSTED above) instead of stalling on
  # flow control; the buffered body also lets the router retry connect failures.
  - name: envoy.filters.http.buffer
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.filters.http.buffer.v3.Buffer
      max_request_bytes: ${o.maxRequestBytes + ENVELOPE_BYTES}
  - name: envoy.filters.http.router
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router`;
}
