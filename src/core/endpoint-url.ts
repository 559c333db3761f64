import { INVALID_ARGUMENT } from './code.js';
import { OtlpError } from './otlp-error.js';

/**
 * Refuses, at construction, an endpoint URL that could never work, saying what to write
 * instead, rather than failing every export later: a URL without http:// or https:// (or
 * without a host), and an OTLP/HTTP signal path (`/v1/traces`, the -proto and -http
 * exporters' style), which OTLP/gRPC answers with UNIMPLEMENTED since gRPC names the
 * method itself. Other paths stay allowed: a gRPC-web proxy may serve under a prefix.
 */
export function checkEndpointUrl(url: string): void {
  const path = /^https?:\/\/[^/?#]+([^?#]*)/i.exec(url)?.[1];
  const signal = /\/v1\/(traces|metrics|logs)\/?$/.exec(path ?? '')?.[0];
  if (path === undefined || signal) {
    throw new OtlpError(
      `option "url": ${JSON.stringify(url)} ${signal ? `ends with the OTLP/HTTP path "${signal}": drop it, OTLP/gRPC names the method itself` : 'needs http:// or https:// and a host'}`,
      INVALID_ARGUMENT,
    );
  }
}
