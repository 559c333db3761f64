import { isIP } from 'node:net';
import type { NormalizedEnvoyOptions } from './envoy-options.js';
import { indent } from './render-http.js';

const q = (value: string): string => JSON.stringify(value);

function renderUpstreamTls(o: NormalizedEnvoyOptions): string {
  const t = o.upstreamTls;
  const clientCert =
    t.certFile !== undefined && t.keyFile !== undefined
      ? `
    tls_certificates:
      - certificate_chain:
          filename: ${q(t.certFile)}
        private_key:
          filename: ${q(t.keyFile)}`
      : '';
  return `
# TLS to the collectors, verified: CA, SNI and the DNS name they must present.
transport_socket:
  name: envoy.transport_sockets.tls
  typed_config:
    "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
    sni: ${q(t.serverName)}
    common_tls_context:
      alpn_protocols: ["h2"]${indent(clientCert, 2)}
      validation_context:
        trusted_ca:
          filename: ${q(t.caFile)}
        match_typed_subject_alt_names:
          - san_type: DNS
            matcher:
              exact: ${q(t.serverName)}`;
}

/** The OTLP backend cluster: HTTP/2 upstream, health checks, outlier detection, endpoints. */
export function renderCluster(o: NormalizedEnvoyOptions): string {
  // IP literals need no resolver; names (a collector Service, several VMs) are re-resolved.
  const byDns = o.upstreams.some((u) => isIP(u.host) === 0);
  const discovery = byDns
    ? `cluster_type:
  name: envoy.cluster.dns
  typed_config:
    "@type": type.googleapis.com/envoy.extensions.clusters.dns.v3.DnsCluster
    respect_dns_ttl: true
    dns_lookup_family: V4_PREFERRED`
    : 'type: STATIC';
  const endpoints = o.upstreams
    .map(
      (u) =>
        `- endpoint:
    address:
      socket_address:
        address: ${q(u.host)}
        port_value: ${u.port}`,
    )
    .join('\n');
  return `- name: otlp_backends
  ${indent(discovery, 2).trimStart()}
  connect_timeout: 1s
  lb_policy: ROUND_ROBIN
  # gRPC needs HTTP/2 to the backend (prior knowledge on plaintext, ALPN h2 on TLS).
  typed_extension_protocol_options:
    envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
      "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
      explicit_http_config:
        http2_protocol_options:
          # PINGs find a collector that vanished without closing the connection.
          connection_keepalive: { interval: 30s, timeout: 5s }
  # OTLP receivers (the Collector's included) rarely serve grpc.health.v1, so a TCP
  # connect is the health check. When every host fails, Envoy's panic mode still tries
  # them, so a restarting single backend is not black-holed.
  health_checks:
    - timeout: 1s
      interval: 5s
      no_traffic_interval: 5s
      unhealthy_threshold: 2
      healthy_threshold: 1
      tcp_health_check: {}
  # Eject a backend that keeps failing calls (UNAVAILABLE counts as 5xx, resets and
  # refused connections as gateway failures) so its share goes to the healthy ones.
  outlier_detection:
    consecutive_5xx: 5
    consecutive_gateway_failure: 3
    interval: 10s
    base_ejection_time: 30s
    max_ejection_percent: 50${indent(o.useUpstreamTls ? renderUpstreamTls(o) : '', 2)}
  load_assignment:
    cluster_name: otlp_backends
    endpoints:
      - lb_endpoints:
${indent(endpoints, 10)}`;
}
