import { INVALID_ARGUMENT } from '../core/code.js';
import { OtlpError } from '../core/otlp-error.js';
import type { Signal } from '../core/signal-codec.js';
import { consoleWarn, type Warn } from '../core/warn.js';

/**
 * An environment: `process.env` in Node, a Worker's `env` bindings, `Deno.env.toObject()`,
 * or a plain object in tests.
 */
export type OtlpEnv = Readonly<Record<string, string | undefined | unknown>>;

/** File paths of the TLS variables; Node's `createGrpcTransport({ tls })` reads them. */
export interface OtlpEnvTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/**
 * What the OTEL_EXPORTER_OTLP_* variables set for one signal. Keys are the exporter
 * option names (`url`, `headers`, `timeoutMillis`, `compression`), so the result spreads
 * into an exporter's options; `tls` goes to `createGrpcTransport`. A key is present only
 * when its variable is set, so the exporter's own defaults apply otherwise.
 */
export interface OtlpEnvOptions {
  /** From ENDPOINT; an endpoint without a scheme gets https://, or http:// when INSECURE=true. */
  url?: string;
  /** From HEADERS: general and signal-specific lists merged, signal-specific names winning. */
  headers?: Record<string, string>;
  /** From TIMEOUT, in milliseconds. */
  timeoutMillis?: number;
  /** From COMPRESSION: "gzip" or "none" (the spec's values), or "zstd". */
  compression?: 'gzip' | 'zstd' | 'none';
  /** From PROTOCOL. Only "grpc" is native gRPC; the others name OTLP/HTTP exporters. */
  protocol?: 'grpc' | 'http/protobuf' | 'http/json';
  /** From INSECURE ("true"/"false"). */
  insecure?: boolean;
  /** File paths from CERTIFICATE (ca), CLIENT_CERTIFICATE (cert) and CLIENT_KEY (key). */
  tls?: OtlpEnvTls;
}

/** How {@link readOtlpEnv} treats a malformed variable. */
export interface ReadOtlpEnvOptions {
  /**
   * Throw an OtlpError(InvalidArgument) naming the variable instead of warning and using
   * the default, for deployments that would rather not start than start misconfigured.
   * @default false (warn and use the default, as the OpenTelemetry specification says)
   */
  strict?: boolean;
  /**
   * Where warnings go.
   * @default console.warn, where the runtime has a console
   */
  warn?: Warn;
}

/**
 * Reads the OTLP exporter variables of the OpenTelemetry specification for one signal:
 * OTEL_EXPORTER_OTLP_{ENDPOINT, HEADERS, TIMEOUT, COMPRESSION, PROTOCOL, INSECURE,
 * CERTIFICATE, CLIENT_KEY, CLIENT_CERTIFICATE}, where a signal-specific variable
 * (OTEL_EXPORTER_OTLP_TRACES_TIMEOUT) takes precedence over the general one. Empty values
 * count as unset, as the specification says. Deployments configure exporters this way
 * without code changes. A malformed value is reported (a warning naming the variable and
 * the value) and left out, so the default applies, as the specification asks: a typo in
 * a variable must not crash the application it observes. `strict: true` throws instead.
 *
 * Runtime-neutral: edge runtimes have no `process.env`, so the environment may be passed
 * in (a Worker's `env`); it defaults to `process.env` where there is one.
 */
export function readOtlpEnv(
  signal: Signal,
  env: OtlpEnv = processEnv(),
  options: ReadOtlpEnvOptions = {},
): OtlpEnvOptions {
  const prefix = 'OTEL_EXPORTER_OTLP_';
  const specific = `${prefix}${signal.toUpperCase()}_`;
  const read = (name: string): Setting | undefined =>
    setting(env, `${specific}${name}`) ?? setting(env, `${prefix}${name}`);
  const out: OtlpEnvOptions = {};
  const report = reporter(options);
  /** Runs one variable's parser; a malformed value is reported and left out. */
  const parse = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      report(error as OtlpError);
      return undefined;
    }
  };
  const assign = <K extends keyof OtlpEnvOptions>(key: K, value: OtlpEnvOptions[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };

  const insecure = read('INSECURE');
  if (insecure)
    assign(
      'insecure',
      parse(() => parseBoolean(insecure)),
    );
  const endpoint = read('ENDPOINT');
  if (endpoint)
    assign(
      'url',
      parse(() => parseEndpoint(endpoint, out.insecure ?? false)),
    );

  const general = setting(env, `${prefix}HEADERS`);
  const own = setting(env, `${specific}HEADERS`);
  const generalHeaders = general && parse(() => parseHeaders(general));
  const ownHeaders = own && parse(() => parseHeaders(own));
  if (generalHeaders || ownHeaders) out.headers = { ...generalHeaders, ...ownHeaders };

  const timeout = read('TIMEOUT');
  if (timeout)
    assign(
      'timeoutMillis',
      parse(() => parseTimeout(timeout)),
    );
  const compression = read('COMPRESSION');
  if (compression) {
    assign(
      'compression',
      parse(() => oneOf(compression, ['gzip', 'zstd', 'none'] as const)),
    );
  }
  const protocol = read('PROTOCOL');
  if (protocol) {
    assign(
      'protocol',
      parse(() => oneOf(protocol, ['grpc', 'http/protobuf', 'http/json'] as const)),
    );
  }
  assign(
    'tls',
    parse(() => parseTls(read, specific, prefix)),
  );
  return out;
}

/**
 * Reports a problem with the configuration: thrown with `strict`, otherwise a warning,
 * since the OpenTelemetry specification asks exporters to log and use the default.
 */
export function reporter(options: ReadOtlpEnvOptions): (error: OtlpError) => void {
  const { strict = false, warn = consoleWarn } = options;
  return (error) => {
    if (strict) throw error;
    warn(`otlp-grpc-web: ${error.rawMessage}; using the default`);
  };
}

/** `process.env` where the runtime has one (Node, Bun, Deno with Node compatibility). */
function processEnv(): OtlpEnv {
  return (globalThis as { process?: { env?: OtlpEnv } }).process?.env ?? {};
}

function parseTimeout(timeout: Setting): number {
  if (!/^\d+$/.test(timeout.value) || Number(timeout.value) <= 0) {
    throw invalid(timeout, 'expected a positive whole number of milliseconds');
  }
  return Number(timeout.value);
}

function parseTls(
  read: (name: string) => Setting | undefined,
  specific: string,
  prefix: string,
): OtlpEnvTls | undefined {
  const tls: OtlpEnvTls = {};
  const ca = read('CERTIFICATE');
  const cert = read('CLIENT_CERTIFICATE');
  const key = read('CLIENT_KEY');
  if (ca) tls.ca = ca.value;
  if (cert && key) {
    tls.cert = cert.value;
    tls.key = key.value;
  } else if (cert || key) {
    const given = (cert ?? key)!;
    const missing = cert ? 'CLIENT_KEY' : 'CLIENT_CERTIFICATE';
    throw invalid(given, `mutual TLS also needs ${specific}${missing} or ${prefix}${missing}`);
  }
  return ca || cert ? tls : undefined;
}

/** A variable that is set, with its name for messages. */
interface Setting {
  name: string;
  value: string;
}

function setting(env: OtlpEnv, name: string): Setting | undefined {
  // Worker bindings may hold non-strings (KV namespaces, secrets objects): those are not ours.
  const raw = env[name];
  const value = typeof raw === 'string' ? raw.trim() : undefined;
  return value ? { name, value } : undefined;
}

/** Header values hold secrets (API keys), so these errors name the entry, not the value. */
function invalidHeaders(setting: Setting, problem: string): OtlpError {
  return new OtlpError(`${setting.name} is invalid: ${problem}`, INVALID_ARGUMENT);
}

function invalid(setting: Setting, expected: string): OtlpError {
  return new OtlpError(
    `${setting.name}=${JSON.stringify(setting.value)} is invalid: ${expected}`,
    INVALID_ARGUMENT,
  );
}

function parseBoolean(setting: Setting): boolean {
  const value = setting.value.toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw invalid(setting, 'expected "true" or "false"');
}

function oneOf<T extends string>(setting: Setting, allowed: readonly T[]): T {
  const value = setting.value.toLowerCase();
  const match = allowed.find((candidate) => candidate === value);
  if (match) return match;
  throw invalid(setting, `expected one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
}

function parseEndpoint(setting: Setting, insecure: boolean): string {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(setting.value);
  const text = hasScheme ? setting.value : `${insecure ? 'http' : 'https'}://${setting.value}`;
  if (!/^https?:\/\//i.test(text)) throw invalid(setting, 'expected an http:// or https:// URL');
  // A host (a name, an IPv4 or a bracketed IPv6 address; no userinfo) and an optional port: what `new URL` would accept here,
  // checked without URL, which src/config (runtime-neutral) does not see.
  if (!/^https?:\/\/(\[[\da-f:.]+\]|[^\s/?#@:[\]]+)(:\d{1,5})?([/?#]\S*)?$/i.test(text)) {
    throw invalid(setting, 'expected a URL such as http://collector:4317');
  }
  // The OTLP/HTTP exporters' signal endpoints end in /v1/traces; OTLP/gRPC names the method
  // itself and would answer every export with UNIMPLEMENTED.
  const signalPath = /\/v1\/(traces|metrics|logs)\/?(?=$|[?#])/.exec(text)?.[0];
  if (signalPath) {
    throw invalid(setting, `ends with the OTLP/HTTP path "${signalPath}": drop it for OTLP/gRPC`);
  }
  return text;
}

// RFC 9110 token characters: what an HTTP/2 header name may hold (lowercased here).
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;

/**
 * Parses "name=value,name2=value2" (the W3C Baggage list format the specification
 * names), percent-decoding names and values, so values can carry "," and "=" as %2C, %3D.
 */
function parseHeaders(setting: Setting): Record<string, string> {
  const headers: Record<string, string> = {};
  const entries = setting.value.split(',');
  for (const [i, entry] of entries.entries()) {
    if (entry.trim() === '') continue;
    const at = entry.indexOf('=');
    if (at < 0) {
      throw invalidHeaders(setting, `entry ${i + 1} has no "=" (expected name=value,name2=value2)`);
    }
    const name = decode(entry.slice(0, at), `entry ${i + 1}`)
      .trim()
      .toLowerCase();
    const value = decode(entry.slice(at + 1), `the value of ${name}`).trim();
    if (!TOKEN.test(name)) {
      throw invalidHeaders(setting, `${JSON.stringify(name)} is not a valid header name`);
    }
    if (/[\r\n\0]/.test(value)) {
      throw invalidHeaders(setting, `the value of ${name} holds a line break or NUL`);
    }
    headers[name] = value;
  }
  return headers;

  function decode(text: string, what: string): string {
    try {
      return decodeURIComponent(text);
    } catch {
      throw invalidHeaders(setting, `${what} has a broken %-escape`);
    }
  }
}
