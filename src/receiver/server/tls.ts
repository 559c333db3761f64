import type { SecureServerOptions } from 'node:http2';

/** PEM material for serving TLS, and optionally for requiring client certificates. */
export interface TlsOptions {
  /** The server certificate chain, PEM. */
  cert: string | Buffer;
  /** The server private key, PEM. */
  key: string | Buffer;
  /**
   * CA certificates that sign acceptable client certificates, PEM. When set, every client
   * must present a valid certificate (mutual TLS); others are refused during the handshake.
   * @default undefined (no client certificate asked for)
   */
  clientCa?: string | Buffer | undefined;
}

/**
 * Options for `http2.createSecureServer`. HTTP/1.1 is allowed beside HTTP/2 (chosen by
 * ALPN) so browsers and fetch-based gRPC-web or Connect clients reach the same port.
 */
export function secureServerOptions(tls: TlsOptions): SecureServerOptions {
  const options: SecureServerOptions = { cert: tls.cert, key: tls.key, allowHTTP1: true };
  if (tls.clientCa !== undefined) {
    options.ca = tls.clientCa;
    options.requestCert = true;
    options.rejectUnauthorized = true;
  }
  return options;
}
