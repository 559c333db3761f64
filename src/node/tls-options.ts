import { readFileSync } from 'node:fs';
import type { SecureClientSessionOptions } from 'node:http2';
import type { SecureContext } from 'node:tls';
import { INVALID_ARGUMENT } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

/**
 * A PEM certificate or key: its contents (a string holding "-----BEGIN", or bytes), or
 * the path of a file holding it. Paths are accepted because that is how the
 * OTEL_EXPORTER_OTLP_CERTIFICATE family of variables and most deployments name them.
 */
export type PemSource = string | Uint8Array;

/**
 * TLS settings of the native gRPC transport. They apply to `https://` endpoints only; an
 * `http://` endpoint is plaintext HTTP/2 (h2c), as OTLP/gRPC collectors commonly serve
 * inside a cluster.
 */
export interface TlsOptions {
  /**
   * Certificate authorities to trust instead of Node's bundled roots, e.g. a private CA.
   * @default undefined (Node's bundled root CAs)
   */
  ca?: PemSource | readonly PemSource[];
  /**
   * Client certificate chain for mutual TLS; needs `key` too.
   * @default undefined (no client certificate)
   */
  cert?: PemSource;
  /**
   * Private key of `cert`, for mutual TLS.
   * @default undefined
   */
  key?: PemSource;
  /**
   * Server name for SNI and certificate verification, when it differs from the URL's host
   * (e.g. connecting by IP address to a server whose certificate names a DNS name).
   * @default the URL's host name (not sent for IP addresses)
   */
  servername?: string;
  /**
   * Whether to refuse servers whose certificate does not verify. Turn off only for local
   * experiments: it makes the connection open to interception.
   * @default true
   */
  rejectUnauthorized?: boolean;
  /**
   * A ready TLS context (`tls.createSecureContext()`), e.g. the one inside `@grpc/grpc-js`
   * `credentials.createSsl()`; `ca`, `cert` and `key` add to it.
   * @default undefined
   */
  secureContext?: SecureContext;
}

/** Reads a file, for tests to replace. */
export type ReadFile = (path: string) => Uint8Array;

/**
 * Turns {@link TlsOptions} into node:http2 connect options, reading files once, up front,
 * so a wrong path fails when the transport is created (naming the option and the path)
 * rather than on every export. Throws OtlpError(InvalidArgument).
 */
export function resolveTlsOptions(
  tls: TlsOptions | undefined,
  readFile: ReadFile = readFileSync,
): SecureClientSessionOptions {
  const out: SecureClientSessionOptions = {};
  if (!tls) return out;
  if (tls.ca !== undefined) {
    const list: readonly PemSource[] = isPemSource(tls.ca) ? [tls.ca] : tls.ca;
    out.ca = list.map((source, i) => load(source, list.length > 1 ? `tls.ca[${i}]` : 'tls.ca'));
  }
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new OtlpError(
      `tls.${tls.cert === undefined ? 'key' : 'cert'} given without tls.${tls.cert === undefined ? 'cert' : 'key'}: mutual TLS needs both the client certificate and its key`,
      INVALID_ARGUMENT,
    );
  }
  if (tls.cert !== undefined) out.cert = load(tls.cert, 'tls.cert');
  if (tls.key !== undefined) out.key = load(tls.key, 'tls.key');
  if (tls.servername !== undefined) out.servername = tls.servername;
  if (tls.rejectUnauthorized !== undefined) out.rejectUnauthorized = tls.rejectUnauthorized;
  if (tls.secureContext !== undefined) out.secureContext = tls.secureContext;
  return out;

  function load(source: PemSource, option: string): string | Buffer {
    if (typeof source !== 'string') return Buffer.from(source);
    if (source.includes('-----BEGIN')) return source;
    if (source.trim() === '') {
      throw new OtlpError(`${option} is empty: expected PEM text or a file path`, INVALID_ARGUMENT);
    }
    try {
      return Buffer.from(readFile(source));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new OtlpError(
        `${option}: cannot read PEM file "${source}": ${reason}`,
        INVALID_ARGUMENT,
        { cause: error },
      );
    }
  }
}

function isPemSource(value: PemSource | readonly PemSource[]): value is PemSource {
  return typeof value === 'string' || value instanceof Uint8Array;
}
