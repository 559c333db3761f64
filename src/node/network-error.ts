// OpenSSL verification results that mean "the server's certificate is not trusted".
const CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * A one-line description of a failed connection or stream, for TransportResult.message.
 * Node's TLS errors are terse ("self-signed certificate in certificate chain"), and the
 * usual fixes are configuration, so this names the problem and the option to look at:
 * an untrusted server certificate (tls.ca), a missing client certificate (tls.cert and
 * tls.key), or TLS spoken to a plaintext port.
 */
export function describeNetworkError(error: unknown, origin: string): string {
  if (!(error instanceof Error)) return `connection to ${origin} failed: ${String(error)}`;
  const { code, reason } = error as { code?: unknown; reason?: unknown };
  // OpenSSL messages carry source paths and a line break; `reason` is the readable part.
  const base = typeof reason === 'string' && reason ? reason : error.message.split('\n')[0]!.trim();
  const text = typeof code === 'string' && !base.includes(code) ? `${base} (${code})` : base;
  const name = typeof code === 'string' ? code : '';
  if (CERT_CODES.has(name)) {
    return `TLS certificate verification of ${origin} failed: ${text}; trust its CA with tls.ca`;
  }
  if (/CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE|BAD_CERTIFICATE|UNKNOWN_CA/.test(name)) {
    return `TLS handshake with ${origin} rejected by the server: ${text}; does it require a client certificate (tls.cert and tls.key) signed by a CA it trusts?`;
  }
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG/.test(name)) {
    return `TLS handshake with ${origin} failed: ${text}; is the endpoint plaintext (use http://)?`;
  }
  if (/^ERR_SSL_|^ERR_TLS_|^EPROTO$/.test(name)) return `TLS failure with ${origin}: ${text}`;
  return `connection to ${origin} failed: ${text}`;
}
