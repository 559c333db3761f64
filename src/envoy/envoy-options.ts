import { isIP } from 'node:net';
import { INVALID_ARGUMENT } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';

/** TLS material for the browser-facing listener (PEM files Envoy reads at start). */
export interface EnvoyListenerTls {
  /** Certificate chain file (PEM). */
  certFile: string;
  /** Private key file (PEM). */
  keyFile: string;
}

/** How Envoy authenticates the OTLP backends when they speak TLS. */
export interface EnvoyUpstreamTls {
  /** CA bundle that must have signed the collectors' certificates. @default '/etc/ssl/certs/ca-certificates.crt' */
  caFile?: string;
  /** SNI sent to, and DNS SAN required of, every collector. @default the first upstream's host */
  serverName?: string;
  /** Client certificate for mTLS to the collectors (PEM); needs `keyFile`. @default none */
  certFile?: string;
  /** Client private key for mTLS (PEM); needs `certFile`. @default none */
  keyFile?: string;
}

/**
 * What the rendered Envoy config varies by. Every field has a development-safe default,
 * so `renderEnvoyConfig()` equals the committed `envoy/envoy.yaml`.
 */
export interface EnvoyConfigOptions {
  /** Browser-facing port; 0 lets the OS pick (read it from the admin API). @default 8080 */
  port?: number;
  /** Address the listener binds. Loopback, so a dev laptop is not an open relay. @default '127.0.0.1' */
  host?: string;
  /** OTLP gRPC backends as `host:port` (`[v6]:port`); several are load-balanced. @default ['127.0.0.1:4317'] */
  upstreams?: string[];
  /** Browser origins allowed by CORS (`*` for any). @default ['http://localhost:5173', 'http://127.0.0.1:5173'] */
  corsOrigins?: string[];
  /** Admin interface port, always bound to 127.0.0.1; 0 picks a free one. @default 9901 */
  adminPort?: number;
  /** Largest protobuf message accepted, as the receiver's limit (the 5-byte gRPC prefix is added). @default 4194304 */
  maxRequestBytes?: number;
  /** Serve the listener over TLS (h2 and http/1.1 by ALPN). @default plaintext */
  tls?: EnvoyListenerTls;
  /** Speak TLS to the backends. @default plaintext h2c */
  upstreamTls?: EnvoyUpstreamTls;
  /** URL path prefixes routed to the backends; anything else is 404. @default ['/opentelemetry.proto.collector.'] */
  pathPrefixes?: string[];
  /** Write one access-log line per request to stdout. @default false */
  accessLog?: boolean;
}

/** One parsed `host:port` backend. */
export interface Upstream {
  host: string;
  port: number;
}

/** {@link EnvoyConfigOptions} with defaults applied and every value checked. */
export interface NormalizedEnvoyOptions {
  port: number;
  host: string;
  upstreams: Upstream[];
  corsOrigins: string[];
  adminPort: number;
  maxRequestBytes: number;
  tls: EnvoyListenerTls | undefined;
  upstreamTls: Required<Pick<EnvoyUpstreamTls, 'caFile' | 'serverName'>> &
    Pick<EnvoyUpstreamTls, 'certFile' | 'keyFile'>;
  useUpstreamTls: boolean;
  pathPrefixes: string[];
  accessLog: boolean;
}

/** The defaults, as one object so the README, CLI help and tests quote the same values. */
export const envoyDefaults = {
  port: 8080,
  host: '127.0.0.1',
  upstreams: ['127.0.0.1:4317'],
  corsOrigins: ['http://localhost:5173', 'http://127.0.0.1:5173'],
  adminPort: 9901,
  maxRequestBytes: 4 * 1024 * 1024,
  pathPrefixes: ['/opentelemetry.proto.collector.'],
  caFile: '/etc/ssl/certs/ca-certificates.crt',
} as const;

function invalid(message: string): OtlpError {
  return new OtlpError(`envoy config: ${message}`, INVALID_ARGUMENT);
}

function checkPort(name: string, value: number, min = 0): number {
  if (!Number.isInteger(value) || value < min || value > 65535) {
    throw invalid(`${name} must be an integer from ${min} to 65535, got ${value}`);
  }
  return value;
}

// Strings end up in YAML (JSON-quoted) and in Envoy matchers: refuse control characters
// rather than emit a config that means something else.
function checkText(name: string, value: string): string {
  if (value === '' || /[\u0000-\u001f\u007f]/.test(value)) {
    throw invalid(
      `${name} must be a non-empty string without control characters, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

// Envoy binds listeners to IP literals only; a hostname here would fail at start.
function checkListenHost(value: string): string {
  if (isIP(value) === 0) throw invalid(`host must be an IPv4 or IPv6 address, got "${value}"`);
  return value;
}

/** Parses `host:port` or `[v6]:port`; throws naming the bad entry. */
export function parseUpstream(value: string): Upstream {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d+)$/.exec(value.trim());
  if (!match) throw invalid(`upstream must be host:port or [ipv6]:port, got "${value}"`);
  return {
    host: match[1] ?? match[2]!,
    port: checkPort(`port of upstream "${value}"`, Number(match[3]), 1),
  };
}

function checkOrigin(value: string): string {
  if (value === '*') return value;
  if (
    !/^https?:\/\/[A-Za-z0-9.-]+(?::\d+)?$|^https?:\/\/\[[0-9a-fA-F:.]+\](?::\d+)?$/.test(value)
  ) {
    throw invalid(`CORS origin must be "*" or scheme://host[:port] with no path, got "${value}"`);
  }
  return value;
}

/** Applies defaults and validates, so renderers can trust every field. */
export function normalizeEnvoyOptions(options: EnvoyConfigOptions = {}): NormalizedEnvoyOptions {
  const upstreams = (options.upstreams ?? envoyDefaults.upstreams).map(parseUpstream);
  if (upstreams.length === 0) throw invalid('at least one upstream is required');
  const maxRequestBytes = options.maxRequestBytes ?? envoyDefaults.maxRequestBytes;
  if (!Number.isInteger(maxRequestBytes) || maxRequestBytes < 1) {
    throw invalid(`maxRequestBytes must be a positive integer, got ${maxRequestBytes}`);
  }
  const pathPrefixes = (options.pathPrefixes ?? envoyDefaults.pathPrefixes).map((p) => {
    if (!p.startsWith('/')) throw invalid(`path prefix must start with "/", got "${p}"`);
    return checkText('path prefix', p);
  });
  if (pathPrefixes.length === 0) throw invalid('at least one path prefix is required');
  const tls = options.tls && {
    certFile: checkText('tls.certFile', options.tls.certFile),
    keyFile: checkText('tls.keyFile', options.tls.keyFile),
  };
  const up = options.upstreamTls ?? {};
  if ((up.certFile === undefined) !== (up.keyFile === undefined)) {
    throw invalid('upstreamTls.certFile and upstreamTls.keyFile go together (mTLS)');
  }
  const upstreamTls: NormalizedEnvoyOptions['upstreamTls'] = {
    caFile: checkText('upstreamTls.caFile', up.caFile ?? envoyDefaults.caFile),
    serverName: checkText('upstreamTls.serverName', up.serverName ?? upstreams[0]!.host),
  };
  if (up.certFile !== undefined)
    upstreamTls.certFile = checkText('upstreamTls.certFile', up.certFile);
  if (up.keyFile !== undefined) upstreamTls.keyFile = checkText('upstreamTls.keyFile', up.keyFile);
  return {
    port: checkPort('port', options.port ?? envoyDefaults.port),
    host: checkListenHost(options.host ?? envoyDefaults.host),
    upstreams,
    corsOrigins: (options.corsOrigins ?? envoyDefaults.corsOrigins).map(checkOrigin),
    adminPort: checkPort('adminPort', options.adminPort ?? envoyDefaults.adminPort),
    maxRequestBytes,
    tls,
    upstreamTls,
    useUpstreamTls: options.upstreamTls !== undefined,
    pathPrefixes,
    accessLog: options.accessLog ?? false,
  };
}
