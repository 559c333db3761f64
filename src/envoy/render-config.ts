import { type EnvoyConfigOptions, normalizeEnvoyOptions } from './envoy-options.js';
import { renderCluster } from './render-cluster.js';
import { indent, renderHttpConnectionManager } from './render-http.js';

const q = (value: string): string => JSON.stringify(value);

/**
 * Renders the Envoy bridge config (gRPC-web from browsers and edge runtimes to native
 * gRPC OTLP backends) as YAML. One renderer serves the committed `envoy/envoy.yaml`
 * (the defaults), the production variant and the ports-0 configs tests start, so they
 * cannot drift apart; the tests compare the committed files with its output.
 * Throws an OtlpError(InvalidArgument) naming any bad option.
 */
export function renderEnvoyConfig(options: EnvoyConfigOptions = {}): string {
  const o = normalizeEnvoyOptions(options);
  const tls = o.tls
    ? `
  # TLS for browsers and edge runtimes; ALPN offers HTTP/2 and HTTP/1.1.
  transport_socket:
    name: envoy.transport_sockets.tls
    typed_config:
      "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
      common_tls_context:
        alpn_protocols: ["h2", "http/1.1"]
        tls_certificates:
          - certificate_chain:
              filename: ${q(o.tls.certFile)}
            private_key:
              filename: ${q(o.tls.keyFile)}`
    : '';
  return `# Envoy bridge: gRPC-web (browsers, edge runtimes) -> native gRPC OTLP backends.
# Rendered by renderEnvoyConfig() (src/envoy/render-config.ts); a test fails when this
# file and the renderer disagree. Why each setting is here: envoy/README.md.
admin:
  # Stats, /ready, /listeners; it can also stop Envoy, so loopback only.
  address:
    socket_address: { address: "127.0.0.1", port_value: ${o.adminPort} }
overload_manager:
  resource_monitors:
    # Caps open downstream connections, so a connection flood cannot exhaust fds or memory.
    - name: envoy.resource_monitors.global_downstream_max_connections
      typed_config:
        "@type": type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig
        max_active_downstream_connections: 10000
static_resources:
  listeners:
    - name: otlp_grpc_web
      address:
        socket_address:
          address: ${q(o.host)}
          port_value: ${o.port}
      # Small per-connection read buffers (edge hardening); the buffer filter below lets one
      # request grow to the allowed message size.
      per_connection_buffer_limit_bytes: 32768
      filter_chains:
        - filters:
            - name: envoy.filters.network.http_connection_manager
              typed_config:
${indent(renderHttpConnectionManager(o), 16)}${indent(tls, 8)}
  clusters:
${indent(renderCluster(o), 4)}
`;
}
